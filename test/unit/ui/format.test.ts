import { describe, expect, it } from 'vitest';
import { formatAgo, formatDelta, formatQuantity, formatShare } from '../../../app/ui/format';
import { resolveRange } from '../../../app/ui/query/time-range';

describe('numbers as the UI prints them', () => {
  it('scales sample values to readable units', () => {
    expect(formatQuantity(1.2 * 2 ** 30, 'bytes')).toBe('1.2 GB');
    expect(formatQuantity(3.4e9, 'nanoseconds')).toBe('3.4 s');
    expect(formatQuantity(870e6, 'nanoseconds')).toBe('870 ms');
    expect(formatQuantity(12345, 'count')).toBe('12345');
    expect(formatQuantity(0, 'bytes')).toBe('0 B');
  });

  it('prints shares and signed changes', () => {
    expect(formatShare(12, 100)).toBe('12%');
    expect(formatShare(1, 3)).toBe('33.3%');
    expect(formatShare(1, 1e6)).toBe('<0.01%');
    expect(formatShare(5, 0)).toBe('0%');
    expect(formatDelta(2 * 2 ** 20, 'bytes')).toBe('+2 MB');
    expect(formatDelta(-1.5e9, 'nanoseconds')).toBe('\u22121.5 s');
  });

  it('says how long ago', () => {
    const now = 1_000_000_000;
    expect(formatAgo(now - 12_000, now)).toBe('12s ago');
    expect(formatAgo(now - 4 * 60_000, now)).toBe('4m ago');
    expect(formatAgo(now - 3 * 3600_000, now)).toBe('3h ago');
    expect(formatAgo(now + 5000, now)).toBe('in 5s');
  });
});

describe('the timeline range', () => {
  it('resolves relative times against one moment', () => {
    expect(resolveRange('now-1h', 'now', 7_200_000)).toEqual({ fromMs: 3_600_000, toMs: 7_200_000, error: null });
  });

  it('names what is wrong with a bad range', () => {
    expect(resolveRange('now', 'now-1h', 7_200_000).error).toMatch(/starts \(now\) at or after it ends \(now-1h\)/);
    expect(resolveRange('yesterday', 'now', 0).error).toMatch(/yesterday/);
  });
});

import { describe, expect, it } from 'vitest';
import { absoluteRange, currentPreset, presetRange, toLocalInput } from '../../../app/ui/timeline/range-presets';

describe('range presets', () => {
  it('writes a preset as relative URL texts', () => {
    expect(presetRange('15m')).toEqual({ from: 'now-15m', to: 'now' });
  });

  it('recognises the current preset, also spelt another way', () => {
    expect(currentPreset('now-1h', 'now')).toBe('1h');
    expect(currentPreset('now-60m', 'now')).toBe('1h');
    expect(currentPreset('now-1d', 'now')).toBe('24h');
    expect(currentPreset('now-2h', 'now')).toBeNull();
    expect(currentPreset('now-1h', 'now-5m')).toBeNull();
    expect(currentPreset('1764036840000', 'now')).toBeNull();
    expect(currentPreset('now-bogus', 'now')).toBeNull();
  });
});

describe('absolute range form', () => {
  it('turns local date-times into RFC 3339 texts for the URL', () => {
    const from = new Date(2026, 10, 25, 2, 14, 0).getTime();
    const to = new Date(2026, 10, 25, 3, 0, 30).getTime();
    const range = absoluteRange(toLocalInput(from), toLocalInput(to));
    expect(range).toEqual({ from: new Date(from).toISOString().replace('.000Z', 'Z'), to: new Date(to).toISOString().replace('.000Z', 'Z') });
  });

  it('accepts minutes without seconds', () => {
    const range = absoluteRange('2026-11-25T02:14', '2026-11-25T03:00');
    expect('error' in range).toBe(false);
  });

  it('names what is wrong', () => {
    expect(absoluteRange('', '2026-11-25T03:00')).toEqual({ error: 'From: enter a date and time' });
    expect(absoluteRange('2026-11-25T02:14', '')).toEqual({ error: 'To: enter a date and time' });
    expect(absoluteRange('2026-11-25T04:00', '2026-11-25T03:00')).toEqual({ error: 'From (2026-11-25 04:00) must be before To (2026-11-25 03:00)' });
    expect(absoluteRange('2026-02-30T01:00', '2026-03-01T01:00')).toEqual({ error: 'From: "2026-02-30T01:00" is not a real date and time' });
    expect(absoluteRange('yesterday', '2026-03-01T01:00')).toMatchObject({ error: expect.stringContaining('From: "yesterday" is not a date and time') });
  });

  it('writes a local input to the second', () => {
    expect(toLocalInput(new Date(2026, 0, 2, 3, 4, 5).getTime())).toBe('2026-01-02T03:04:05');
  });
});

import { describe, expect, it } from 'vitest';
import { parseTime } from '../../lib/time/parse-time';

const now = Date.UTC(2026, 10, 25, 3, 0, 0);
const at0214 = Date.UTC(2026, 10, 25, 2, 14, 0);

describe('parseTime accepts', () => {
  it.each<[string, number]>([
    ['1764036840000', 1764036840000],
    ['0', 0],
    ['2026-11-25T02:14:00Z', at0214],
    ['2026-11-25t02:14:00z', at0214],
    ['2026-11-25 02:14:00Z', at0214],
    ['2026-11-25T02:14:00.5Z', at0214 + 500],
    ['2026-11-25T02:14:00.123456789Z', at0214 + 123],
    ['2026-11-25T04:14:00+02:00', at0214],
    ['2026-11-24T21:44:00-04:30', at0214],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['now', now],
    ['now-1h', now - 3_600_000],
    ['now-15m30s', now - 930_000],
    ['now-7d', now - 7 * 86_400_000],
  ])('%s', (text, expected) => {
    expect(parseTime(text, now)).toBe(expected);
  });
});

describe('parseTime refuses, listing the accepted forms', () => {
  it.each<[string, string]>([
    ['', 'not a time: ""; use Unix milliseconds'],
    ['yesterday', 'use Unix milliseconds (1764036840000), RFC 3339 (2026-11-25T02:14:00Z) or now, now-1h'],
    ['1764036840.5', 'not a time'],
    ['-5', 'not a time'],
    ['2026-11-25', 'not a time'],
    ['2026-11-25T02:14Z', 'not a time'],
    ['2026-11-25T02:14:00', 'not a time'],
    ['Wed, 25 Nov 2026 02:14:00 GMT', 'not a time'],
    ['2026-02-30T00:00:00Z', 'has a field out of range'],
    ['2026-13-01T00:00:00Z', 'has a field out of range'],
    ['2026-11-25T24:00:00Z', 'has a field out of range'],
    ['2026-11-25T02:60:00Z', 'has a field out of range'],
    ['2026-11-25T02:14:00+24:00', 'has a field out of range'],
    ['now-1x', 'after "now-" not a valid duration: "1x"'],
    ['now-', 'not a time'],
    ['now+1h', 'not a time'],
    ['99999999999999999', 'out of range'],
  ])('%j', (text, message) => {
    expect(() => parseTime(text, now)).toThrow(message);
  });
});

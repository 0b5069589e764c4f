/** The time range picker's presets and its absolute form, as URL texts (`now-1h`, RFC 3339). */
import { parseDuration } from '@/lib/time/duration';
import { parseTime } from '@/lib/time/parse-time';

export const RANGE_PRESETS = ['5m', '15m', '1h', '6h', '24h', '7d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** The URL texts of a preset: the last `preset` up to now. */
export function presetRange(preset: RangePreset): { from: string; to: string } {
  return { from: `now-${preset}`, to: 'now' };
}

/** The preset a range is, also when spelt differently (`now-60m` is `1h`), or null. */
export function currentPreset(from: string, to: string): RangePreset | null {
  const relative = /^now-(.+)$/.exec(from);
  if (to !== 'now' || !relative) return null;
  let span: number;
  try {
    span = parseDuration(relative[1]);
  } catch {
    return null;
  }
  return RANGE_PRESETS.find((preset) => parseDuration(preset) === span) ?? null;
}

/** `ms` as a `datetime-local` input's value in the viewer's time zone, to the second. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/**
 * The URL texts (RFC 3339 in UTC) of an absolute range typed as two `datetime-local` values, or a
 * message naming what is wrong with them.
 */
export function absoluteRange(fromInput: string, toInput: string): { from: string; to: string } | { error: string } {
  const from = localToRfc3339(fromInput, 'From');
  if ('error' in from) return from;
  const to = localToRfc3339(toInput, 'To');
  if ('error' in to) return to;
  if (from.ms >= to.ms) return { error: `From (${fromInput.replace('T', ' ')}) must be before To (${toInput.replace('T', ' ')})` };
  return { from: from.text, to: to.text };
}

function localToRfc3339(input: string, name: string): { text: string; ms: number } | { error: string } {
  if (input === '') return { error: `${name}: enter a date and time` };
  const parts = LOCAL_INPUT.exec(input);
  if (!parts) return { error: `${name}: ${JSON.stringify(input)} is not a date and time (YYYY-MM-DDTHH:MM)` };
  const [y, mo, d, h, mi, s] = parts.slice(1).map((p) => Number(p ?? '0'));
  const date = new Date(y, mo - 1, d, h, mi, s);
  // Date rolls February 30 over to March 2; comparing the fields back catches it.
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d || h > 23 || mi > 59 || s > 59) {
    return { error: `${name}: ${JSON.stringify(input)} is not a real date and time` };
  }
  const text = date.toISOString().replace('.000Z', 'Z');
  // parseTime is what reads the URL back: its verdict (and message) is the one that counts.
  try {
    return { text, ms: parseTime(text, 0) };
  } catch (err) {
    return { error: `${name}: ${(err as Error).message}` };
  }
}

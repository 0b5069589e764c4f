/**
 * Numbers as the UI shows them: three significant digits and a space before the unit (`1.2 GB`,
 * `3.4 s`, `870 ms`, `12%`), scaled with pprof's own unit table so the UI and the CLI agree on units.
 */
import { scaleValue } from '@/lib/pprof/units';

/** A sample value of `unit` (a sample-type unit such as `nanoseconds`, `bytes` or `count`). */
export function formatQuantity(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  const scaled = scaleValue(value, unit);
  const digits = significant(scaled.value);
  return scaled.unit ? `${digits} ${scaled.unit}` : digits;
}

/** `part` as a share of `whole`: `12%`, `0.45%`, `<0.01%`, `0%`. */
export function formatShare(part: number, whole: number): string {
  if (whole === 0 || part === 0) return '0%';
  const percent = (part / whole) * 100;
  if (Math.abs(percent) < 0.01) return percent < 0 ? '>-0.01%' : '<0.01%';
  return `${significant(percent)}%`;
}

/** A signed change: `+1.2 GB`, `−3.4 s` (a real minus sign, so columns of deltas line up). */
export function formatDelta(value: number, unit: string): string {
  if (value === 0) return '0';
  const text = formatQuantity(Math.abs(value), unit);
  return value > 0 ? `+${text}` : `\u2212${text}`;
}

/** Counts with thousands separators: `12,345`. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** How long ago `ms` was, from `now`: `12s ago`, `4m ago`, `3h ago`, `2d ago`, or `in 5s`. */
export function formatAgo(ms: number, now: number): string {
  const seconds = Math.round((now - ms) / 1000);
  const magnitude = Math.abs(seconds);
  const text =
    magnitude < 60 ? `${magnitude}s` : magnitude < 3600 ? `${Math.floor(magnitude / 60)}m` : magnitude < 86400 ? `${Math.floor(magnitude / 3600)}h` : `${Math.floor(magnitude / 86400)}d`;
  return seconds >= 0 ? `${text} ago` : `in ${text}`;
}

/** A moment in the viewer's time zone, to the second: `2026-11-25 02:14:05`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function significant(x: number): string {
  const magnitude = Math.abs(x);
  if (magnitude >= 100) return String(Math.round(x));
  return String(Number(x.toPrecision(magnitude >= 1 ? 3 : 2)));
}

/**
 * The function table's logic that needs no React: which rows a filter keeps, how a change reads, and
 * which rows a scrolled window shows.
 */
import { nameMatcher } from '@/lib/flame/search';
import type { FunctionRow } from '@/lib/flame/table';
import { formatShare } from '../format';

/** The rows whose name matches `filter`: a case-insensitive regular expression, or a substring when it is not one. */
export function filterRows(rows: FunctionRow[], filter: string): FunctionRow[] {
  const matches = nameMatcher(filter.trim());
  return matches ? rows.filter((row) => matches(row.name)) : rows;
}

/**
 * `after` relative to `before`, for sorting: 0.5 for +50%, −1 for gone, ±Infinity for a function
 * that is new, 0 when both are 0.
 */
export function relativeChange(before: number, after: number): number {
  if (before === 0) return after === 0 ? 0 : after > 0 ? Infinity : -Infinity;
  return (after - before) / Math.abs(before);
}

/** `after` relative to `before` as a reader wants it: `+50%`, `−12%`, `new`, `gone`, `0%`. */
export function formatRelativeChange(before: number, after: number): string {
  if (before === 0) return after === 0 ? '0%' : 'new';
  if (after === 0) return 'gone';
  const change = after - before;
  if (change === 0) return '0%';
  const share = formatShare(Math.abs(change), Math.abs(before));
  return change > 0 ? `+${share}` : `\u2212${share}`;
}

/** The first row to render and the one after the last, for a window of `viewHeight` pixels scrolled to `scrollTop`. */
export function visibleRows(scrollTop: number, viewHeight: number, rowHeight: number, count: number, overscan: number): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.min(count, first + Math.ceil(viewHeight / rowHeight) + overscan);
  return { start, end: Math.max(start, end) };
}

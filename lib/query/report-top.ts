/**
 * The `top` report in Conprof's shape: `labels` are the header lines pprof prints above its table,
 * `items` its rows with values formatted as pprof formats them, plus the total and the sample type.
 */
import { formatPercent, formatSampleType, formatValue, top, type Profile } from '../pprof';
import type { ReportOptions } from './report';

/** One row: Conprof's text item, the ` (inline)` suffix split into `inlineLabel` as pprof does. */
export interface TopReportItem {
  readonly name: string;
  readonly inlineLabel?: string;
  readonly flat: number;
  readonly cum: number;
  readonly flatFormat: string;
  readonly cumFormat: string;
}

/** The whole report. */
export interface TopReport {
  readonly labels: string[];
  readonly sampleType: string;
  readonly total: number;
  readonly items: TopReportItem[];
}

// Conprof's node count for its top report.
const MAX_ROWS = 500;
const INLINE_SUFFIX = / \((?:partial-)?inline\)$/;

/** The top table of one sample type; `description` lines (where the profile came from) lead the labels. */
export function topReport(profile: Profile, description: readonly string[], options: ReportOptions): TopReport {
  const result = top(profile, { sampleType: options.sampleType, nodeFraction: options.nodeFraction, limit: MAX_ROWS });
  const unit = result.sampleType.unit;
  const format = (value: number) => formatValue(value, unit, 'minimum');
  const shown = result.items.reduce((sum, item) => sum + item.flat, 0);
  const labels = [...description, `Type: ${result.sampleType.type}`];
  if (profile.timeNanos > 0n) labels.push(`Time: ${new Date(Number(profile.timeNanos / 1_000_000n)).toISOString()}`);
  if (profile.durationNanos > 0) labels.push(`Duration: ${formatValue(profile.durationNanos, 'nanoseconds')}`);
  const share = formatPercent(shown, result.total).trim();
  labels.push(`Showing nodes accounting for ${format(shown)}, ${share} of ${format(result.total)} total`);
  if (result.droppedNodes > 0) labels.push(`Dropped ${result.droppedNodes} node${result.droppedNodes > 1 ? 's' : ''} (cum <= ${format(result.nodeCutoff)})`);
  if (result.nodeCount > result.items.length) labels.push(`Showing top ${result.items.length} nodes out of ${result.nodeCount}`);
  return {
    labels,
    sampleType: formatSampleType(result.sampleType),
    total: result.total,
    items: result.items.map((item) => {
      const inline = INLINE_SUFFIX.exec(item.name)?.[0];
      const row = { flat: item.flat, cum: item.cum, flatFormat: format(item.flat), cumFormat: format(item.cum) };
      return inline ? { name: item.name.slice(0, -inline.length), inlineLabel: inline, ...row } : { name: item.name, ...row };
    }),
  };
}

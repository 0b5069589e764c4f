/**
 * `query_range`: when each matching series has a profile, and the total of one sample type in each,
 * from the totals stored beside every profile, so a timeline over thousands of profiles reads no blob.
 */
import { sampleIndex, type Db, type SampleEntry, type SeriesSamples } from '../db';
import type { LabelMatcher, Labels } from '../selector';
import { encodeLabelset, formatSeries } from './labelset';

/** Which series, when, how many, and which sample type to total. */
export interface RangeQuery {
  readonly matchers: readonly LabelMatcher[];
  readonly fromMs: number;
  readonly toMs: number;
  /** Most series to return; the rest are left out with a warning. */
  readonly seriesLimit: number;
  /** A type name (`alloc_space`), `type/unit` or index; each profile's default type when absent. */
  readonly sampleType?: string;
}

/** One series of the result, in Conprof's shape plus the totals. */
export interface RangeSeries {
  readonly labels: Labels;
  /** Conprof's key of the series, for its `/download/<key>/<ms>/` and `/pprof/<key>/<ms>/` links. */
  readonly labelsetEncoded: string;
  /** `type/unit` of the values. */
  readonly sampleType: string;
  readonly timestamps: number[];
  readonly values: number[];
}

// Points in one response: about 20 MB of JSON, far more than a chart can show.
const MAX_POINTS = 1_000_000;

/** The series with profiles in the range, oldest profile first, and warnings for anything left out. */
export async function queryRange(db: Db, query: RangeQuery): Promise<{ series: RangeSeries[]; warnings: string[] }> {
  const found = await sampleIndex(db, { matchers: query.matchers, fromMs: query.fromMs, toMs: query.toMs }, MAX_POINTS);
  const warnings: string[] = [];
  if (found.truncated) {
    warnings.push(`the range holds more than ${MAX_POINTS} profiles; only the oldest are shown: narrow the range or the selector`);
  }
  if (found.series.length > query.seriesLimit) {
    warnings.push(
      `${found.series.length} series match; only the first ${query.seriesLimit} are shown: narrow the selector or raise limit`,
    );
  }
  const skipped: string[] = [];
  const series = found.series.slice(0, query.seriesLimit).map((s) => totalsOf(s, query.sampleType, skipped));
  if (skipped.length > 0) warnings.push(skippedWarning(skipped, query.sampleType));
  return { series: series.filter((s) => s.timestamps.length > 0), warnings };
}

/**
 * One series' points. Every point must be of one sample type: a profile without the chosen type, or
 * whose default differs from the series' first profile, is left out and described in `skipped`.
 */
function totalsOf({ series, samples }: SeriesSamples, choice: string | undefined, skipped: string[]): RangeSeries {
  const timestamps: number[] = [];
  const values: number[] = [];
  let sampleType = '';
  for (const entry of samples) {
    const index = chosenIndex(entry, choice);
    const type = entry.sampleTypes[index];
    sampleType ||= type ?? '';
    if (index < 0 || type !== sampleType) {
      skipped.push(`${formatSeries(series.labels)} at ${new Date(entry.timestampMs).toISOString()} has [${entry.sampleTypes.join(' ')}]`);
      continue;
    }
    timestamps.push(entry.timestampMs);
    values.push(entry.totals[index]);
  }
  return { labels: series.labels, labelsetEncoded: encodeLabelset(series.labels), sampleType, timestamps, values };
}

/** The index of the chosen sample type as lib/pprof's `sampleIndex` reads a choice, or -1. */
function chosenIndex(entry: SampleEntry, choice: string | undefined): number {
  if (choice === undefined) return entry.sampleTypes.indexOf(entry.defaultSampleType);
  if (/^\d+$/.test(choice)) return Number(choice) < entry.sampleTypes.length ? Number(choice) : -1;
  return entry.sampleTypes.findIndex((t) => t === choice || t.slice(0, t.lastIndexOf('/')) === choice);
}

function skippedWarning(skipped: readonly string[], choice: string | undefined): string {
  const why = choice === undefined ? 'a default sample type unlike the rest of its series' : `no sample type ${JSON.stringify(choice)}`;
  return `${skipped.length} profiles with ${why} are left out, e.g. ${skipped[0]}`;
}

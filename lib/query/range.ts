/**
 * `query_range`: when each matching series has a profile, and the total of one sample type in each,
 * from the totals stored beside every profile, so a timeline over thousands of profiles reads no blob.
 */
import { sampleTotals, sampleTypesAt, type Db, type SeriesInfo, type SeriesTotals } from '../db';
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
  const range = { matchers: query.matchers, fromMs: query.fromMs, toMs: query.toMs };
  const found = await sampleTotals(db, range, query.sampleType, MAX_POINTS);
  const warnings: string[] = [];
  if (found.truncated) {
    warnings.push(`the range holds more than ${MAX_POINTS} profiles; only the oldest are shown: narrow the range or the selector`);
  }
  if (found.series.length > query.seriesLimit) {
    warnings.push(
      `${found.series.length} series match; only the first ${query.seriesLimit} are shown: narrow the selector or raise limit`,
    );
  }
  const skipped: LeftOut[] = [];
  const series = found.series.slice(0, query.seriesLimit).map((s) => pointsOf(s, skipped));
  if (skipped.length > 0) warnings.push(await skippedWarning(db, skipped, query.sampleType));
  return { series: series.filter((s) => s.timestamps.length > 0), warnings };
}

/** A profile left out of its series' points. */
interface LeftOut {
  readonly series: SeriesInfo;
  readonly timestampMs: number;
}

/**
 * One series' points. Every point must be of one sample type: a profile without the chosen type, or
 * whose default differs from the series' first profile, is left out and added to `skipped`.
 */
function pointsOf({ series, totals }: SeriesTotals, skipped: LeftOut[]): RangeSeries {
  const timestamps: number[] = [];
  const values: number[] = [];
  let sampleType = '';
  for (const point of totals) {
    sampleType ||= point.sampleType ?? '';
    if (point.sampleType === null || point.sampleType !== sampleType) {
      skipped.push({ series, timestampMs: point.timestampMs });
      continue;
    }
    timestamps.push(point.timestampMs);
    values.push(point.total);
  }
  return { labels: series.labels, labelsetEncoded: encodeLabelset(series.labels), sampleType, timestamps, values };
}

/** Says how many profiles were left out and why, describing the first by its sample types (read only now: it is rare). */
async function skippedWarning(db: Db, skipped: readonly LeftOut[], choice: string | undefined): Promise<string> {
  const why = choice === undefined ? 'a default sample type unlike the rest of its series' : `no sample type ${JSON.stringify(choice)}`;
  const { series, timestampMs } = skipped[0];
  const types = await sampleTypesAt(db, series.id, timestampMs);
  const example = `${formatSeries(series.labels)} at ${new Date(timestampMs).toISOString()} has [${types.join(' ')}]`;
  return `${skipped.length} profiles with ${why} are left out, e.g. ${example}`;
}

import { and, asc, eq, gt, gte, lte, or, sql } from 'drizzle-orm';
import type { Db } from './client';
import { StorageInputError, withRetryableErrors } from './errors';
import { selectSeries, type SeriesInfo } from './read-series';
import { samples } from './schema/samples';
import { checkLimit, type SeriesQuery } from './series-filter';
import { epochMs, timestampParam } from './time';

/** What is known about a stored profile without reading its blob. */
export interface SampleEntry {
  readonly timestampMs: number;
  /** `type/unit` per sample type, in the profile's order. */
  readonly sampleTypes: string[];
  /** `type/unit` of the type pprof shows by default, or "" when the profile has no sample types. */
  readonly defaultSampleType: string;
  /** The sum of each sample type's values, as lib/pprof's `totals` computes it. */
  readonly totals: number[];
  readonly durationNanos: number;
  readonly periodType: string;
  readonly period: number;
  readonly blobSize: number;
}

/** One series and its samples in the range, oldest first. */
export interface SeriesSamples {
  readonly series: SeriesInfo;
  readonly samples: SampleEntry[];
}

/** A stored profile with its gzipped pprof bytes. */
export interface StoredProfile {
  readonly series: SeriesInfo;
  readonly timestampMs: number;
  readonly blob: Buffer;
}

// The most series one sample read accepts; a selector matching more is too broad to chart or merge.
const MAX_SERIES = 10_000;
// Blobs fetched per round trip by readProfiles: enough to hide latency, few enough to bound memory.
const PROFILES_PER_PAGE = 16;

/**
 * The samples of the matching series in [fromMs, toMs], grouped by series, without reading a blob:
 * what a timeline or a totals chart needs. At most `limit` samples, the oldest; `truncated` says
 * whether more exist.
 */
export async function sampleIndex(
  db: Db,
  query: SeriesQuery,
  limit: number,
): Promise<{ series: SeriesSamples[]; truncated: boolean }> {
  checkLimit(limit, 'reading the sample index');
  const matched = await matchingSeries(db, query);
  if (matched.length === 0) return { series: [], truncated: false };
  const rows = await withRetryableErrors('reading the sample index', () =>
    db.orm
      .select({
        seriesId: samples.seriesId,
        timestampMs: epochMs(samples.ts),
        sampleTypes: samples.sampleTypes,
        defaultSampleType: samples.defaultSampleType,
        totals: samples.totals,
        durationNanos: samples.durationNanos,
        periodType: samples.periodType,
        period: samples.period,
        blobSize: samples.blobSize,
      })
      .from(samples)
      .where(inRange(matched, query))
      .orderBy(asc(samples.ts), asc(samples.seriesId))
      .limit(limit + 1),
  );
  const bySeries = new Map<number, SeriesSamples>(matched.map((s) => [s.id, { series: s, samples: [] }]));
  for (const { seriesId, ...entry } of rows.slice(0, limit)) bySeries.get(seriesId)!.samples.push(entry);
  return { series: [...bySeries.values()].filter((s) => s.samples.length > 0), truncated: rows.length > limit };
}

/**
 * Streams the matching profiles in [fromMs, toMs] with their blobs, oldest first (ties by series),
 * at most `limit`. Pages by key rather than holding a cursor open, so a slow consumer never pins a
 * connection (which on the embedded server would stall every other client).
 */
export async function* readProfiles(db: Db, query: SeriesQuery, limit: number): AsyncGenerator<StoredProfile> {
  checkLimit(limit, 'reading profiles');
  const matched = await matchingSeries(db, query);
  if (matched.length === 0) return;
  const byId = new Map(matched.map((s) => [s.id, s]));
  let after: PageKey | undefined;
  for (let left = limit; left > 0; left -= PROFILES_PER_PAGE) {
    const size = Math.min(left, PROFILES_PER_PAGE);
    const page = await readPage(db, matched, query, after, size);
    for (const row of page) yield { series: byId.get(row.seriesId)!, timestampMs: row.timestampMs, blob: row.blob };
    if (page.length < size) return;
    after = page[size - 1];
  }
}

/** Where the previous page ended, in the (ts, series) order profiles are read in. */
interface PageKey {
  readonly timestampMs: number;
  readonly seriesId: number;
}

function readPage(
  db: Db,
  matched: readonly SeriesInfo[],
  query: SeriesQuery,
  after: PageKey | undefined,
  size: number,
) {
  const afterKey = after
    ? or(gt(samples.ts, timestampParam(after.timestampMs)), and(eq(samples.ts, timestampParam(after.timestampMs)), gt(samples.seriesId, after.seriesId)))
    : undefined;
  return withRetryableErrors('reading profiles', () =>
    db.orm
      .select({ seriesId: samples.seriesId, timestampMs: epochMs(samples.ts), blob: samples.blob })
      .from(samples)
      .where(and(inRange(matched, query), afterKey))
      .orderBy(asc(samples.ts), asc(samples.seriesId))
      .limit(size),
  );
}

async function matchingSeries(db: Db, query: SeriesQuery): Promise<SeriesInfo[]> {
  const matched = await selectSeries(db, query, MAX_SERIES + 1);
  if (matched.length > MAX_SERIES) {
    throw new StorageInputError('invalid_query', `the selector matches more than ${MAX_SERIES} series; add label matchers to narrow it`);
  }
  return matched;
}

function inRange(matched: readonly SeriesInfo[], query: SeriesQuery) {
  // One array parameter rather than `IN ($1, …, $n)`: thousands of ids stay one cheap bind.
  const ids = matched.map((s) => s.id);
  return and(
    sql`${samples.seriesId} = any(${sql.param(ids)}::bigint[])`,
    gte(samples.ts, timestampParam(query.fromMs)),
    lte(samples.ts, timestampParam(query.toMs)),
  );
}

import { and, asc, eq, gt, gte, lte, or, sql, type SQL } from 'drizzle-orm';
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

/**
 * One profile's total of the chosen sample type (`type/unit`): a point of a timeline. Both are null
 * when the profile has no such type.
 */
export type SampleTotal =
  | { readonly timestampMs: number; readonly sampleType: string; readonly total: number }
  | { readonly timestampMs: number; readonly sampleType: null; readonly total: null };

/** One series and the totals of its profiles in the range, oldest first. */
export interface SeriesTotals {
  readonly series: SeriesInfo;
  readonly totals: SampleTotal[];
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
 * The total of one sample type in each profile of the matching series in [fromMs, toMs], grouped by
 * series: what a timeline plots. The database picks the total, so no sample-type or totals array
 * crosses the wire; for 10,000 profiles that is about 3× faster than `sampleIndex`. `sampleType` is
 * a type name (`alloc_space`), `type/unit`, or an index (which, past the profile's last type, matches
 * nothing rather than being read as a name); each profile's default type when undefined. At most
 * `limit` profiles, the oldest; `truncated` says whether more exist.
 */
export async function sampleTotals(
  db: Db,
  query: SeriesQuery,
  sampleType: string | undefined,
  limit: number,
): Promise<{ series: SeriesTotals[]; truncated: boolean }> {
  checkLimit(limit, 'reading sample totals');
  const matched = await matchingSeries(db, query);
  if (matched.length === 0) return { series: [], truncated: false };
  const rows = await withRetryableErrors('reading sample totals', () =>
    db.orm.execute<{ series_id: string; timestamp_ms: number; sample_type: string | null; total: number | null }>(
      sql`select ${samples.seriesId} as series_id, ${epochMs(samples.ts)} as timestamp_ms, chosen.sample_type, chosen.total
          from ${samples} left join lateral (${chosenTotal(sampleType)}) as chosen on true
          where ${inRange(matched, query)}
          order by ${samples.ts}, ${samples.seriesId}
          limit ${limit + 1}`,
    ),
  );
  const bySeries = new Map<number, SeriesTotals>(matched.map((s) => [s.id, { series: s, totals: [] }]));
  for (const row of rows.slice(0, limit)) {
    // A type and its total are stored side by side, so the two are null together.
    const point = { timestampMs: row.timestamp_ms, sampleType: row.sample_type, total: row.total } as SampleTotal;
    bySeries.get(Number(row.series_id))!.totals.push(point);
  }
  return { series: [...bySeries.values()].filter((s) => s.totals.length > 0), truncated: rows.length > limit };
}

/**
 * The `(sample_type, total)` row of the chosen type for the profile in the enclosing query, or no
 * row. A name matches the first `type/unit` equal to it or whose part before the last "/" is, so
 * both `alloc_space` and `alloc_space/bytes` work; without a "/" that part is all but the last
 * character, as JavaScript's `slice(0, lastIndexOf('/'))` reads it, which query_range used before.
 */
function chosenTotal(choice: string | undefined): SQL {
  if (choice === undefined) {
    return sql`select ${samples.sampleTypes}[ordinal] as sample_type, ${samples.totals}[ordinal] as total
               from (select array_position(${samples.sampleTypes}, ${samples.defaultSampleType}) as ordinal) as chosen_ordinal`;
  }
  if (/^\d+$/.test(choice)) {
    // Past int4's range no profile has that many types: the clamped subscript matches nothing as well.
    const subscript = Math.min(Number(choice), 2 ** 31 - 2) + 1;
    return sql`select ${samples.sampleTypes}[${subscript}::int] as sample_type, ${samples.totals}[${subscript}::int] as total`;
  }
  return sql`select typed.sample_type, typed.total
             from unnest(${samples.sampleTypes}, ${samples.totals}) with ordinality as typed(sample_type, total, ordinal)
             where typed.sample_type = ${choice}
                or left(typed.sample_type, -greatest(strpos(reverse(typed.sample_type), '/'), 1)) = ${choice}
             order by typed.ordinal
             limit 1`;
}

/** The `type/unit` sample types of one stored profile, or none when it is no longer stored. */
export async function sampleTypesAt(db: Db, seriesId: number, timestampMs: number): Promise<string[]> {
  const rows = await withRetryableErrors('reading sample types', () =>
    db.orm
      .select({ sampleTypes: samples.sampleTypes })
      .from(samples)
      .where(and(eq(samples.seriesId, seriesId), eq(samples.ts, timestampParam(timestampMs)))),
  );
  return rows[0]?.sampleTypes ?? [];
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

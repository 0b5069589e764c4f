import { sql } from 'drizzle-orm';
import type { Labels } from '../selector/matcher';
import type { Db } from './client';
import { StorageInputError, withRetryableErrors } from './errors';
import { isLabelName } from './labels';
import { series } from './schema/series';
import { checkLimit, seriesFilter, type SeriesQuery } from './series-filter';
import { epochMs } from './time';

/** A stored series: its id, label set, and the timestamps of its oldest and newest samples. */
export interface SeriesInfo {
  readonly id: number;
  readonly labels: Labels;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/** The series matching a query, at most `limit`, in order of creation. */
export async function selectSeries(db: Db, query: SeriesQuery, limit: number): Promise<SeriesInfo[]> {
  checkLimit(limit, 'selecting series');
  const where = seriesFilter(query);
  const rows = await withRetryableErrors('selecting series', () =>
    db.orm
      .select({
        id: series.id,
        labels: series.labels,
        firstSeenMs: epochMs(series.firstSeen),
        lastSeenMs: epochMs(series.lastSeen),
      })
      .from(series)
      .where(where)
      .orderBy(series.id)
      .limit(limit),
  );
  return rows.map((row) => ({ ...row, labels: sortedLabels(row.labels) }));
}

// jsonb keeps object keys ordered by length; callers expect the canonical name order.
function sortedLabels(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The label names used by the series matching a query, sorted by code point as Prometheus sorts them. */
export async function labelNames(db: Db, query: SeriesQuery): Promise<string[]> {
  const where = seriesFilter(query);
  const rows = await withRetryableErrors('listing label names', () =>
    db.orm.execute<{ name: string }>(
      sql`select distinct jsonb_object_keys(${series.labels}) collate "C" as name from ${series} where ${where} order by name`,
    ),
  );
  return rows.map((r) => r.name);
}

/** The values label `name` takes among the series matching a query, sorted by code point. */
export async function labelValues(db: Db, name: string, query: SeriesQuery): Promise<string[]> {
  if (!isLabelName(name)) {
    throw new StorageInputError('invalid_query', `listing label values: ${JSON.stringify(name)} is not a valid label name`);
  }
  const where = seriesFilter(query);
  const rows = await withRetryableErrors('listing label values', () =>
    db.orm.execute<{ value: string }>(
      sql`select distinct (${series.labels} ->> ${name}) collate "C" as value from ${series}
          where ${series.labels} ? ${name} and ${where} order by value`,
    ),
  );
  return rows.map((r) => r.value);
}

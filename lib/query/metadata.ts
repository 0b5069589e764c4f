/**
 * The metadata endpoints in Prometheus' shape: series, label names and label values of the series
 * matching any of several selectors (`match[]`) and seen in a time range. These read only the
 * `series` table.
 */
import { labelNames, labelValues, selectSeries, type Db, type SeriesInfo } from '../db';
import type { LabelMatcher, Labels } from '../selector';

/** Series matching any of `matcherSets` (none: every series) with data in [fromMs, toMs]. */
export interface MetadataQuery {
  readonly matcherSets: readonly (readonly LabelMatcher[])[];
  readonly fromMs: number;
  readonly toMs: number;
}

/** Label sets of the matching series, oldest series first, at most `limit`, with a warning when cut. */
export async function findSeries(db: Db, query: MetadataQuery, limit: number): Promise<{ series: Labels[]; warnings: string[] }> {
  const byId = new Map<number, SeriesInfo>();
  for (const matchers of matcherSets(query)) {
    for (const found of await selectSeries(db, { matchers, fromMs: query.fromMs, toMs: query.toMs }, limit + 1)) byId.set(found.id, found);
  }
  const all = [...byId.values()].sort((a, b) => a.id - b.id);
  const warnings = all.length > limit ? [`more than ${limit} series match; only the first ${limit} are listed: narrow the selectors`] : [];
  return { series: all.slice(0, limit).map((s) => s.labels), warnings };
}

/** Label names used by the matching series, sorted by code point. */
export async function findLabelNames(db: Db, query: MetadataQuery): Promise<string[]> {
  const { fromMs, toMs } = query;
  return union(await Promise.all(matcherSets(query).map((matchers) => labelNames(db, { matchers, fromMs, toMs }))));
}

/** Values label `name` takes among the matching series, sorted by code point. */
export async function findLabelValues(db: Db, name: string, query: MetadataQuery): Promise<string[]> {
  const { fromMs, toMs } = query;
  return union(await Promise.all(matcherSets(query).map((matchers) => labelValues(db, name, { matchers, fromMs, toMs }))));
}

function matcherSets(query: MetadataQuery): (readonly LabelMatcher[])[] {
  return query.matcherSets.length > 0 ? [...query.matcherSets] : [[]];
}

/** The distinct strings of sorted lists, in code-point order (UTF-8 byte order) as the database sorts them. */
function union(lists: readonly string[][]): string[] {
  if (lists.length === 1) return lists[0];
  return [...new Set(lists.flat())].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

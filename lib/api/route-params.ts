/**
 * The parameters of each route but `/api/v1/query` (lib/api/query-params.ts), as zod schemas whose
 * output is what `lib/query` takes, so a handler is parse, call, respond.
 */
import { z } from 'zod';
import { decodeLabelset, exactLabels } from '../query/labelset';
import type { MetadataQuery } from '../query/metadata';
import type { QueryLimits } from '../query/limits';
import { parseTime } from '../time/parse-time';
import { enumParam, limitParam, matchParam, parsedParam, selectorParam, timeParam, withTimeRange } from './params';

// Conprof's default range for metadata queries without start and end.
const DEFAULT_METADATA_RANGE_MS = 24 * 3_600_000;

/** A sample type chosen by name (`alloc_space`), `type/unit` or index. */
export const sampleIndexParam = z.string().min(1, 'must name a sample type, e.g. alloc_space, alloc_space/bytes or 1');

/** A sample type or unit name given for folded stacks: one word, as pprof writes them. */
const wordParam = z.string().regex(/^[A-Za-z_][\w.:-]*$/, 'must be a word such as samples, count, cpu or bytes');

/** `query_range`: a selector, a range within the limit, the most series to return, a sample type. */
export function rangeParams(now: number, limits: QueryLimits) {
  return withTimeRange(
    { query: selectorParam, limit: limitParam(limits.maxSeries, limits.maxSeries), sample_index: sampleIndexParam.optional() },
    { now, maxWindowMs: limits.maxRangeMs },
  ).transform((p) => ({ matchers: p.query, fromMs: p.from, toMs: p.to, seriesLimit: p.limit, sampleType: p.sample_index }));
}

/** `series`, `labels`, `label/<name>/values`: selectors (required for series) and an optional range, by default the last day. */
export function metadataParams(now: number, matchRequired: boolean) {
  return z
    .object({
      'match[]': matchRequired ? matchParam : matchParam.optional(),
      start: timeParam(now).optional(),
      end: timeParam(now).optional(),
    })
    .transform((p): MetadataQuery => ({
      matcherSets: p['match[]'] ?? [],
      fromMs: p.start ?? (p.end ?? now) - DEFAULT_METADATA_RANGE_MS,
      toMs: p.end ?? now,
    }))
    .refine((q) => q.fromMs <= q.toMs, { path: ['start'], message: 'is after end; swap them' });
}

/** `POST /api/v1/ingest`: the series as a label set, its timestamp (default now), the body's format. */
export function ingestParams(now: number) {
  return z
    .object({
      series: parsedParam((text) => exactLabels(text, 'series')),
      timestamp: timeParam(now).optional(),
      format: enumParam(['pprof', 'folded']).default('pprof'),
      sample_type: wordParam.default('samples'),
      unit: wordParam.default('count'),
    })
    .transform((p) => ({
      labels: p.series,
      timestampMs: p.timestamp ?? now,
      format: p.format,
      folded: { sampleType: p.sample_type, unit: p.unit },
    }));
}

/**
 * `POST /ingest`, Pyroscope's push: `from`/`until` are Unix seconds as its SDKs send them (larger
 * numbers are read as milliseconds, microseconds or nanoseconds by their size) or any profd time.
 * `aggregationType` is accepted and ignored: profd sums when it merges.
 */
export function pyroscopeParams(now: number, multipart: boolean) {
  return z
    .object({
      name: z.string({ error: 'is required: the application name, e.g. my.app.cpu{env=staging}' }),
      from: parsedParam((text) => pyroscopeTime(text, now)).optional(),
      until: parsedParam((text) => pyroscopeTime(text, now)).optional(),
      format: enumParam(['pprof', 'folded']).default(multipart ? 'pprof' : 'folded'),
      sampleRate: z.string().regex(/^[1-9]\d{0,9}$/, 'must be a whole number of hertz above 0').transform(Number).default(100),
      spyName: z.string().optional(),
      units: z.string().optional(),
      aggregationType: enumParam(['sum', 'average']).optional(),
    })
    .transform((p) => ({ ...p, fromMs: p.from ?? now, untilMs: p.until ?? p.from ?? now }))
    .refine((p) => p.fromMs <= p.untilMs, { path: ['from'], message: 'is after until; swap them' });
}

/** `/api/v1/targets`: which targets, as Prometheus' `state`. */
export const targetsParams = z.object({ state: enumParam(['active', 'dropped', 'any']).default('any') });

function pyroscopeTime(text: string, now: number): number {
  if (!/^\d+$/.test(text)) return parseTime(text, now);
  const digits = text.length;
  const value = Number(text);
  if (digits <= 10) return value * 1000;
  if (digits <= 13) return value;
  return Math.floor(digits <= 16 ? value / 1000 : value / 1_000_000);
}

/** The path of Conprof's `/download/<key>/<ms>/` and `/pprof/<key>/<ms>/` links: a series key and Unix milliseconds. */
export const conprofLinkParams = z
  .object({
    labelset: parsedParam(decodeLabelset),
    time: z.string().regex(/^\d{1,15}$/, 'must be Unix milliseconds, e.g. 1764036840000').transform(Number),
  })
  .transform((p) => ({ labels: p.labelset, timeMs: p.time }));

import { and, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { hasLabelNameSyntax } from '../selector/labels';
import type { LabelMatcher } from '../selector/matcher';
import { StorageInputError } from './errors';
import { toPostgresRegex } from './regex';
import { series } from './schema/series';
import { MAX_TIME_MS, timestampParam } from './time';

/** Which series a read is about: all label matchers must hold, and the series must have data in [fromMs, toMs]. */
export interface SeriesQuery {
  readonly matchers: readonly LabelMatcher[];
  readonly fromMs: number;
  readonly toMs: number;
}

const QuerySchema = z.object({
  matchers: z.array(z.object({ name: z.string(), type: z.enum(['=', '!=', '=~', '!~']), value: z.string() })),
  fromMs: z.number().int().min(0).max(MAX_TIME_MS),
  toMs: z.number().int().min(0).max(MAX_TIME_MS),
});

/**
 * The WHERE clause on `series` for a query, every value a bound parameter. A missing label reads as
 * "", which gives Prometheus' rules: `!=` and `!~` match series without the label, `=""` matches only
 * those. The time test uses first/last seen, so a series counts if its lifetime overlaps the range.
 */
export function seriesFilter(query: SeriesQuery): SQL {
  const parsed = QuerySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StorageInputError('invalid_query', `invalid series query: ${issue.path.join('.')}: ${issue.message}`);
  }
  if (query.fromMs > query.toMs) {
    throw new StorageInputError('invalid_query', `invalid series query: the start (${query.fromMs}) is after the end (${query.toMs})`);
  }
  return and(
    sql`${series.lastSeen} >= ${timestampParam(query.fromMs)}`,
    sql`${series.firstSeen} <= ${timestampParam(query.toMs)}`,
    ...query.matchers.map((m, i) => matcherCondition(m, `matcher ${i + 1} (${m.name}${m.type}${JSON.stringify(m.value)})`)),
  )!;
}

function matcherCondition(m: LabelMatcher, where: string): SQL {
  if (!hasLabelNameSyntax(m.name)) {
    throw new StorageInputError('invalid_matcher', `${where}: ${JSON.stringify(m.name)} is not a valid label name`);
  }
  const value = sql`coalesce(${series.labels} ->> ${m.name}, '')`;
  switch (m.type) {
    case '=':
      // Containment is what the GIN index serves; "" means "label absent", which containment cannot say.
      return m.value === ''
        ? sql`not (${series.labels} ? ${m.name})`
        : sql`${series.labels} @> ${JSON.stringify({ [m.name]: m.value })}::jsonb`;
    case '!=':
      return sql`${value} <> ${m.value}`;
    case '=~':
      return sql`${value} ~ ${toPostgresRegex(m.value, where)}`;
    case '!~':
      return sql`${value} !~ ${toPostgresRegex(m.value, where)}`;
  }
}

/** Refuses a limit that is not a positive integer; `what` names the call in the message. */
export function checkLimit(limit: number, what: string): void {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new StorageInputError('invalid_query', `${what}: the limit must be a positive integer, not ${limit}`);
  }
}

import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

const DAY_MS = 86_400_000;

/** The latest timestamp storage accepts, the last millisecond of year 9999 (what ISO 8601 text can carry). */
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The UTC day of a timestamp as `YYYY-MM-DD`, the key of its `samples` partition. */
export function utcDay(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** Adds whole days to a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** A timestamp as a bound `timestamptz` parameter (ISO text, so no float rounding and no time zone). */
export function timestampParam(ms: number): SQL {
  return sql`${new Date(ms).toISOString()}::timestamptz`;
}

/** Reads a `timestamptz` column back as epoch milliseconds (a JS number, exact to the millisecond). */
export function epochMs(column: SQLWrapper): SQL<number> {
  return sql<number>`(extract(epoch from ${column}) * 1000)::float8`;
}

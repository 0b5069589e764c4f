import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { utcDay } from './time';

/**
 * Day partitions of `samples`. The DDL lives in SQL functions (drizzle/0001_samples_partitioned.sql) so
 * partition names are built by `format('%I')` inside the server, never by string-building here.
 */

/** Creates the partitions for the UTC days of the given timestamps that lack one; returns the names created. */
export async function ensurePartitions(db: Db, timestampsMs: Iterable<number>): Promise<string[]> {
  const days = [...new Set(Array.from(timestampsMs, utcDay))];
  return ensureDayPartitions(db, days);
}

/** Creates the partitions for the given `YYYY-MM-DD` days that lack one; returns the names created. */
export async function ensureDayPartitions(db: Db, days: readonly string[]): Promise<string[]> {
  if (days.length === 0) return [];
  // Sent as text[]: drizzle turns off postgres.js' serializer for date[] parameters.
  const rows = await db.orm.execute<{ name: string }>(
    sql`select profd_ensure_partitions(${sql.param(days)}::text[]::date[]) as name`,
  );
  return rows.map((r) => r.name);
}

/** Drops every partition for a day before `cutoffDay` (`YYYY-MM-DD`); returns their names, oldest first. */
export async function dropPartitionsBefore(db: Db, cutoffDay: string): Promise<string[]> {
  const rows = await db.orm.execute<{ name: string }>(
    sql`select profd_drop_partitions_before(${cutoffDay}::date) as name`,
  );
  return rows.map((r) => r.name);
}

/** The names of the existing day partitions, oldest first. */
export async function listPartitions(db: Db): Promise<string[]> {
  const rows = await db.orm.execute<{ name: string }>(
    sql`select c.relname::text as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'samples'::regclass order by 1`,
  );
  return rows.map((r) => r.name);
}

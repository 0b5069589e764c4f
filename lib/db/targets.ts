import { createHash } from 'node:crypto';
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Labels } from '../selector/matcher';
import { formatDuration } from '../time/duration';
import type { Db } from './client';
import { withRetryableErrors } from './errors';
import { droppedTargets, scrapeTargets, workerConfig } from './schema/targets';
import { epochMs } from './time';

/** One active target's health as the worker tracks it (lib/scrape's TargetHealth has this shape). */
export interface TargetHealthInput {
  readonly job: string;
  readonly profileType: string;
  readonly url: string;
  readonly labels: Labels;
  readonly discoveredLabels: Labels;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastScrapeMs: number | null;
  readonly lastDurationMs: number | null;
  readonly lastBytes: number | null;
  readonly lastError: { readonly reason: string; readonly message: string } | null;
}

/** Everything the worker scrapes and everything relabeling dropped, at one instant. */
export interface TargetHealthSnapshot {
  readonly active: readonly TargetHealthInput[];
  readonly dropped: readonly { readonly job: string; readonly discoveredLabels: Labels }[];
}

/** An active target as `/api/v1/targets` shows it: Prometheus' fields plus the profile type and body size. */
export interface ActiveTarget {
  readonly discoveredLabels: Labels;
  readonly labels: Labels;
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly profileType: string;
  readonly health: 'up' | 'down' | 'unknown';
  /** RFC 3339 start of the last scrape; null before the first one ends. */
  readonly lastScrape: string | null;
  /** Seconds the last scrape took; null before the first one. */
  readonly lastScrapeDuration: number | null;
  readonly lastScrapeBytes: number | null;
  /** Empty when the last scrape succeeded, as in Prometheus. */
  readonly lastError: string;
  /** Why the last scrape failed (`timeout`, `http_status`, …); null when it did not. */
  readonly lastErrorReason: string | null;
  readonly scrapeInterval: string;
  readonly scrapeTimeout: string;
}

/** A target relabeling dropped. */
export interface DroppedTargetInfo {
  readonly discoveredLabels: Labels;
  readonly scrapePool: string;
}

/** Which targets readTargets returns, as Prometheus' `state` parameter. */
export type TargetState = 'active' | 'dropped' | 'any';

/** The config text the worker runs, where it came from, and when it was loaded. */
export interface StoredWorkerConfig {
  readonly source: string;
  readonly yaml: string;
  readonly loadedAtMs: number;
}

/**
 * Makes the stored targets equal `snapshot`, in one transaction. With `previous` (the snapshot this
 * database last took) only what changed is sent: lib/scrape's registry replaces a target's object
 * whenever it changes, so identity tells changed targets apart without comparing them, and at 5,000
 * targets a write shrinks from megabytes to the few hundred scraped since. Rows travel as one JSON
 * parameter, so each table takes one statement whatever the target count.
 */
export async function writeTargetHealth(db: Db, snapshot: TargetHealthSnapshot, previous?: TargetHealthSnapshot): Promise<void> {
  const active = delta(previous?.active, snapshot.active, activeRow);
  const dropped = delta(previous?.dropped, snapshot.dropped, (d) => ({ key: keyOf([d.job, d.discoveredLabels]), job: d.job, discovered_labels: d.discoveredLabels }));
  await withRetryableErrors('writing target health', () =>
    db.orm.transaction(async (tx) => {
      await tx.execute(sql`delete from scrape_targets where ${removal(sql`key`, active)}`);
      await tx.execute(sql`
        insert into scrape_targets select * from jsonb_populate_recordset(null::scrape_targets, ${JSON.stringify(active.upsert)}::jsonb)
        on conflict (key) do update set
          health = excluded.health, last_scrape = excluded.last_scrape, last_duration_ms = excluded.last_duration_ms,
          last_bytes = excluded.last_bytes, last_error_reason = excluded.last_error_reason, last_error = excluded.last_error,
          discovered_labels = excluded.discovered_labels`);
      await tx.execute(sql`delete from dropped_targets where ${removal(sql`key`, dropped)}`);
      await tx.execute(sql`
        insert into dropped_targets select * from jsonb_populate_recordset(null::dropped_targets, ${JSON.stringify(dropped.upsert)}::jsonb)
        on conflict (key) do nothing`);
    }),
  );
}

interface Delta<R extends { key: string }> {
  /** Rows to insert or update, one per key. */
  readonly upsert: R[];
  /** Keys to delete; null means every key not in `upsert` (a full write). */
  readonly remove: string[] | null;
}

/** The rows that changed between two snapshots' lists (all of them without a previous one). */
function delta<T extends object, R extends { key: string }>(before: readonly T[] | undefined, after: readonly T[], toRow: (t: T) => R): Delta<R> {
  if (!before) return { upsert: unique(after.map(toRow)), remove: null };
  const then = new Set(before);
  const now = new Set(after);
  // Two identical rows in one INSERT … ON CONFLICT would be an error ("cannot affect row a second time").
  const upsert = unique(after.filter((t) => !then.has(t)).map(toRow));
  const kept = new Set(upsert.map((r) => r.key));
  const remove = before.filter((t) => !now.has(t)).map((t) => toRow(t).key).filter((k) => !kept.has(k));
  return { upsert, remove };
}

function removal(column: SQL, change: Delta<{ key: string }>): SQL {
  const keys = (rows: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(rows)}::jsonb))`;
  return change.remove === null ? sql`${column} <> all${keys(change.upsert.map((r) => r.key))}` : sql`${column} = any${keys(change.remove)}`;
}

/** The stored targets, sorted by job then URL (dropped ones by job then address), as Prometheus' `/api/v1/targets`. */
export async function readTargets(db: Db, state: TargetState = 'any'): Promise<{ activeTargets: ActiveTarget[]; droppedTargets: DroppedTargetInfo[] }> {
  return withRetryableErrors('reading targets', async () => {
    const active = state === 'dropped' ? [] : await db.orm
      .select({ row: scrapeTargets, lastScrapeMs: epochMs(scrapeTargets.lastScrape) })
      .from(scrapeTargets)
      .orderBy(asc(scrapeTargets.job), asc(scrapeTargets.scrapeUrl));
    const dropped = state === 'active' ? [] : await db.orm
      .select()
      .from(droppedTargets)
      .orderBy(asc(droppedTargets.job), sql`${droppedTargets.discoveredLabels} ->> '__address__'`, asc(droppedTargets.key));
    return {
      activeTargets: active.map(({ row, lastScrapeMs }) => activeTarget(row, lastScrapeMs)),
      droppedTargets: dropped.map((d) => ({ discoveredLabels: d.discoveredLabels, scrapePool: d.job })),
    };
  });
}

/** Records the config the worker now runs, replacing the one before. */
export async function writeWorkerConfig(db: Db, config: StoredWorkerConfig): Promise<void> {
  const row = { id: 1, source: config.source, yaml: config.yaml, loadedAt: new Date(config.loadedAtMs).toISOString() };
  await withRetryableErrors('writing the worker config', () =>
    db.orm.insert(workerConfig).values(row).onConflictDoUpdate({ target: workerConfig.id, set: row }),
  );
}

/** The config the worker last recorded, or null when no worker has run on this database. */
export async function readWorkerConfig(db: Db): Promise<StoredWorkerConfig | null> {
  const [row] = await withRetryableErrors('reading the worker config', () =>
    db.orm
      .select({ source: workerConfig.source, yaml: workerConfig.yaml, loadedAtMs: epochMs(workerConfig.loadedAt) })
      .from(workerConfig)
      .where(eq(workerConfig.id, 1)),
  );
  return row ?? null;
}

function activeRow(t: TargetHealthInput) {
  return {
    key: keyOf([t.job, t.url, sortedEntries(t.labels)]),
    job: t.job,
    profile_type: t.profileType,
    scrape_url: t.url,
    labels: t.labels,
    discovered_labels: t.discoveredLabels,
    interval_ms: t.intervalMs,
    timeout_ms: t.timeoutMs,
    health: t.health,
    last_scrape: t.lastScrapeMs === null ? null : new Date(t.lastScrapeMs).toISOString(),
    last_duration_ms: t.lastDurationMs,
    last_bytes: t.lastBytes,
    last_error_reason: t.lastError?.reason ?? null,
    last_error: t.lastError?.message ?? null,
  };
}

function activeTarget(row: typeof scrapeTargets.$inferSelect, lastScrapeMs: number | null): ActiveTarget {
  return {
    discoveredLabels: row.discoveredLabels,
    labels: row.labels,
    scrapePool: row.job,
    scrapeUrl: row.scrapeUrl,
    profileType: row.profileType,
    health: row.health,
    lastScrape: lastScrapeMs === null ? null : new Date(lastScrapeMs).toISOString(),
    lastScrapeDuration: row.lastDurationMs === null ? null : row.lastDurationMs / 1000,
    lastScrapeBytes: row.lastBytes,
    lastError: row.lastError ?? '',
    lastErrorReason: row.lastErrorReason,
    scrapeInterval: formatDuration(row.intervalMs),
    scrapeTimeout: formatDuration(row.timeoutMs),
  };
}

function unique<T extends { key: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.key, r])).values()];
}

function keyOf(identity: unknown): string {
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
}

function sortedEntries(labels: Labels): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

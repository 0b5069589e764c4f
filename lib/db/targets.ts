import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
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
 * Makes the stored targets equal `snapshot` in one transaction: upserts every target (rows that did
 * not change are left untouched) and deletes those no longer there. One statement per table whatever
 * the target count, since the rows travel as a single JSON parameter.
 */
export async function writeTargetHealth(db: Db, snapshot: TargetHealthSnapshot): Promise<void> {
  const active = unique(snapshot.active.map(activeRow));
  const dropped = unique(snapshot.dropped.map((d) => ({ key: keyOf([d.job, d.discoveredLabels]), job: d.job, discovered_labels: d.discoveredLabels })));
  await withRetryableErrors('writing target health', () =>
    db.orm.transaction(async (tx) => {
      await tx.execute(sql`
        insert into scrape_targets select * from jsonb_populate_recordset(null::scrape_targets, ${JSON.stringify(active)}::jsonb)
        on conflict (key) do update set
          health = excluded.health, last_scrape = excluded.last_scrape, last_duration_ms = excluded.last_duration_ms,
          last_bytes = excluded.last_bytes, last_error_reason = excluded.last_error_reason, last_error = excluded.last_error,
          discovered_labels = excluded.discovered_labels
        where (scrape_targets.health, scrape_targets.last_scrape, scrape_targets.last_error, scrape_targets.discovered_labels)
          is distinct from (excluded.health, excluded.last_scrape, excluded.last_error, excluded.discovered_labels)`);
      await tx.execute(sql`delete from scrape_targets where not (key = any(select jsonb_array_elements_text(${JSON.stringify(active.map((r) => r.key))}::jsonb)))`);
      await tx.execute(sql`
        insert into dropped_targets select * from jsonb_populate_recordset(null::dropped_targets, ${JSON.stringify(dropped)}::jsonb)
        on conflict (key) do nothing`);
      await tx.execute(sql`delete from dropped_targets where not (key = any(select jsonb_array_elements_text(${JSON.stringify(dropped.map((r) => r.key))}::jsonb)))`);
    }),
  );
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

// Two identical rows in one INSERT … ON CONFLICT would be an error ("cannot affect row a second time").
function unique<T extends { key: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.key, r])).values()];
}

function keyOf(identity: unknown): string {
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
}

function sortedEntries(labels: Labels): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

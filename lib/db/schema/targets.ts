import { bigint, doublePrecision, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Labels } from '../../selector/matcher';

/**
 * The worker's view of its scrape targets, published for the web app (another process) to serve as
 * `/api/v1/targets`. One row per active target (an endpoint × profile type), replaced as a whole by
 * each health snapshot the worker writes; `key` is the target's hash.
 */
export const scrapeTargets = pgTable('scrape_targets', {
  key: text('key').primaryKey(),
  job: text('job').notNull(),
  profileType: text('profile_type').notNull(),
  scrapeUrl: text('scrape_url').notNull(),
  labels: jsonb('labels').$type<Labels>().notNull(),
  discoveredLabels: jsonb('discovered_labels').$type<Labels>().notNull(),
  intervalMs: integer('interval_ms').notNull(),
  timeoutMs: integer('timeout_ms').notNull(),
  health: text('health').$type<'up' | 'down' | 'unknown'>().notNull(),
  lastScrape: timestamp('last_scrape', { withTimezone: true, mode: 'string' }),
  lastDurationMs: doublePrecision('last_duration_ms'),
  lastBytes: bigint('last_bytes', { mode: 'number' }),
  lastErrorReason: text('last_error_reason'),
  lastError: text('last_error'),
});

/** Targets that relabeling dropped, with the labels discovery found, so users can see why one is missing. */
export const droppedTargets = pgTable('dropped_targets', {
  key: text('key').primaryKey(),
  job: text('job').notNull(),
  discoveredLabels: jsonb('discovered_labels').$type<Labels>().notNull(),
});

/** The config the running worker loaded (a single row, id 1), served as `/api/v1/status/config`. */
export const workerConfig = pgTable('worker_config', {
  id: integer('id').primaryKey(),
  source: text('source').notNull(),
  yaml: text('yaml').notNull(),
  loadedAt: timestamp('loaded_at', { withTimezone: true, mode: 'string' }).notNull(),
});

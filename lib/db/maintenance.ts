import { lt } from 'drizzle-orm';
import type { Db } from './client';
import { withRetryableErrors } from './errors';
import { dropPartitionsBefore, ensureDayPartitions } from './partitions';
import { series } from './schema/series';
import { addDays, utcDay } from './time';

/** Options for maintain. */
export interface MaintenanceOptions {
  /** How long profiles are kept, in milliseconds (PROFD_RETENTION, 15 days by default). */
  readonly retentionMs: number;
  /** The current time; tests pass a fixed one. */
  readonly nowMs?: number;
  /** How many days after today get a partition ahead of time (default 2). */
  readonly daysAhead?: number;
}

/** What one maintenance pass did. */
export interface MaintenanceReport {
  readonly created: string[];
  readonly dropped: string[];
  readonly seriesDeleted: number;
}

/**
 * The first UTC day still kept. A day's partition is dropped once all of it is older than the
 * retention period, so retention is honoured to the day, never cutting a day in half.
 */
export function retentionCutoffDay(nowMs: number, retentionMs: number): string {
  return utcDay(nowMs - retentionMs);
}

/**
 * One maintenance pass: creates today's and the next days' partitions so writers rarely create one,
 * drops the partitions of expired days (freeing their disk at once, unlike DELETE), and deletes the
 * series whose every sample was in them. Idempotent; safe to run from several processes.
 */
export async function maintain(db: Db, options: MaintenanceOptions): Promise<MaintenanceReport> {
  const nowMs = options.nowMs ?? Date.now();
  const today = utcDay(nowMs);
  const upcoming = Array.from({ length: (options.daysAhead ?? 2) + 1 }, (_, i) => addDays(today, i));
  const cutoff = retentionCutoffDay(nowMs, options.retentionMs);
  return withRetryableErrors('maintaining partitions', async () => {
    const created = await ensureDayPartitions(db, upcoming);
    const dropped = await dropPartitionsBefore(db, cutoff);
    const deleted = await db.orm
      .delete(series)
      .where(lt(series.lastSeen, `${cutoff}T00:00:00Z`))
      .returning({ id: series.id });
    return { created, dropped, seriesDeleted: deleted.length };
  });
}

/** Options for startMaintenance. */
export interface ScheduleOptions extends Omit<MaintenanceOptions, 'nowMs'> {
  readonly intervalMs: number;
  /** Receives each pass's report. */
  readonly onReport: (report: MaintenanceReport) => void;
  /** Receives a failed pass's error; the schedule goes on. */
  readonly onError: (err: unknown) => void;
}

/**
 * Runs a maintenance pass now (its failure rejects, so start-up stops on it), then one every
 * `intervalMs` until the returned function is called.
 */
export async function startMaintenance(db: Db, options: ScheduleOptions): Promise<() => void> {
  options.onReport(await maintain(db, options));
  const timer = setInterval(() => maintain(db, options).then(options.onReport, options.onError), options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

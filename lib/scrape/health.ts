import type { Labels } from '../selector/matcher';
import type { ScrapeErrorReason } from './errors';
import type { DroppedTarget, ScrapeTarget } from './target';

/** A target's state after its last scrape; `unknown` until the first one ends. */
export type Health = 'up' | 'down' | 'unknown';

/** The outcome of one scrape, as a loop reports it. */
export interface ScrapeReport {
  readonly startedMs: number;
  readonly durationMs: number;
  /** Bytes of body received; 0 when none arrived. */
  readonly bytes: number;
  readonly error: { readonly reason: ScrapeErrorReason; readonly message: string } | null;
}

/** What the targets page shows for one active target (Prometheus' /api/v1/targets activeTargets). */
export interface TargetHealth {
  readonly job: string;
  readonly profileType: string;
  readonly url: string;
  readonly labels: Labels;
  readonly discoveredLabels: Labels;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly health: Health;
  readonly lastScrapeMs: number | null;
  readonly lastDurationMs: number | null;
  readonly lastBytes: number | null;
  readonly lastError: ScrapeReport['error'];
}

/** Every active target's health and every dropped target, sorted for stable display. */
export interface HealthSnapshot {
  readonly active: TargetHealth[];
  readonly dropped: DroppedTarget[];
}

/** Options of a registry. */
export interface TargetHealthOptions {
  /**
   * The registry of the config before a reload: a target it knew (same hash) starts from its last
   * known health rather than `unknown`, so a reload does not blank the targets page.
   */
  readonly previous?: TargetHealthRegistry;
  /** Called after every recorded scrape, e.g. to count scrapes in the worker's metrics. */
  readonly onRecord?: (target: TargetHealth, report: ScrapeReport) => void;
}

/** In-memory health of all targets, written by scrape loops and the manager, read by the API. */
export class TargetHealthRegistry {
  private readonly active = new Map<string, TargetHealth>();
  private readonly dropped = new Map<string, DroppedTarget[]>();
  private readonly carried: ReadonlyMap<string, TargetHealth>;
  private changes = 0;

  constructor(private readonly options: TargetHealthOptions = {}) {
    this.carried = new Map(options.previous?.active ?? []);
  }

  /** Grows with every change, so a publisher can skip writing an unchanged state. */
  get version(): number {
    return this.changes;
  }

  /** Starts tracking a target, as `unknown` unless the previous registry knew it. */
  add(target: ScrapeTarget): void {
    this.changes++;
    const known = this.carried.get(target.hash);
    if (known) return void this.active.set(target.hash, known);
    this.active.set(target.hash, {
      job: target.job,
      profileType: target.profileType,
      url: target.url,
      labels: target.labels,
      discoveredLabels: target.discoveredLabels,
      intervalMs: target.intervalMs,
      timeoutMs: target.timeoutMs,
      health: 'unknown',
      lastScrapeMs: null,
      lastDurationMs: null,
      lastBytes: null,
      lastError: null,
    });
  }

  /** Stops tracking a target that is no longer scraped. */
  remove(hash: string): void {
    this.changes++;
    this.active.delete(hash);
  }

  /** Records a scrape's outcome; ignored when the target was removed meanwhile. */
  record(hash: string, report: ScrapeReport): void {
    const current = this.active.get(hash);
    if (!current) return;
    this.changes++;
    const updated: TargetHealth = {
      ...current,
      health: report.error ? 'down' : 'up',
      lastScrapeMs: report.startedMs,
      lastDurationMs: report.durationMs,
      lastBytes: report.bytes,
      lastError: report.error,
    };
    this.active.set(hash, updated);
    this.options.onRecord?.(updated, report);
  }

  /** Replaces a job's dropped targets with the latest relabeling result. */
  setDropped(job: string, dropped: readonly DroppedTarget[]): void {
    this.changes++;
    this.dropped.set(job, [...dropped]);
  }

  /** A copy of the current state, safe to serialise while loops keep writing. */
  snapshot(): HealthSnapshot {
    const active = [...this.active.values()].sort((a, b) => compare(a.job, b.job) || compare(a.url, b.url));
    const dropped = [...this.dropped.keys()].sort().flatMap((job) => this.dropped.get(job) ?? []);
    return { active, dropped };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

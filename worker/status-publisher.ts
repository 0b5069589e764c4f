import { setTimeout as sleep } from 'node:timers/promises';
import { writeTargetHealth, writeWorkerConfig, type Db, type StoredWorkerConfig } from '../lib/db';
import type { HealthSnapshot, TargetHealthRegistry } from '../lib/scrape/health';
import { throttle, type Logger } from './log';

/** How often target health is written when it changed. */
const DEFAULT_INTERVAL_MS = 2000;

/**
 * Publishes what the web app shows about the worker: the targets' health (what changed since the
 * last snapshot written, checked every couple of seconds) and the running config. A failed write is logged
 * and simply tried again on the next tick, so a database outage never blocks scraping.
 */
export class StatusPublisher {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  private published: { registry: TargetHealthRegistry; version: number; snapshot: HealthSnapshot } | null = null;
  private pendingConfig: StoredWorkerConfig | null = null;
  private readonly warn: (error: Error) => void;

  constructor(
    private readonly db: Db,
    private readonly registry: () => TargetHealthRegistry | null,
    logger: Logger,
    private readonly intervalMs = DEFAULT_INTERVAL_MS,
  ) {
    this.warn = throttle(30_000, (skipped, error: Error) => logger.warn('cannot publish target health; will retry', { error, failures_not_logged: skipped || undefined }));
  }

  /** Publishes now and then every interval. */
  start(): void {
    void this.publish();
    this.timer = setInterval(() => void this.publish(), this.intervalMs);
    this.timer.unref();
  }

  /** Records a newly loaded config, publishing it right away. */
  setConfig(config: StoredWorkerConfig): void {
    this.pendingConfig = config;
    void this.publish();
  }

  /** Stops the schedule after one last publish (bounded by `deadlineMs`), so the page shows the final state. */
  async stop(deadlineMs: number): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.busy;
    await Promise.race([this.publish(), sleep(Math.max(0, deadlineMs - Date.now()), undefined, { ref: false })]);
  }

  /** One publish; a call while one runs waits for it instead of overlapping. */
  publish(): Promise<void> {
    this.busy ??= this.publishOnce().finally(() => (this.busy = null));
    return this.busy;
  }

  private async publishOnce(): Promise<void> {
    try {
      const config = this.pendingConfig;
      if (config) {
        await writeWorkerConfig(this.db, config);
        if (this.pendingConfig === config) this.pendingConfig = null;
      }
      const registry = this.registry();
      if (!registry || (this.published?.registry === registry && this.published.version === registry.version)) return;
      const version = registry.version;
      const snapshot = registry.snapshot();
      await writeTargetHealth(this.db, snapshot, this.published?.snapshot);
      this.published = { registry, version, snapshot };
    } catch (err) {
      this.warn(err as Error);
    }
  }
}

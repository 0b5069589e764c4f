import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfigFromSource } from '../lib/config/config-source';
import type { Env } from '../lib/config/env';
import type { WorkerConfig } from '../lib/config/worker-config';
import { connect, isRetryable, migrate, startMaintenance, writeProfiles, type Db, type MaintenanceReport } from '../lib/db';
import { IngestQueue } from '../lib/ingest-queue';
import { WorkerMetrics } from '../lib/metrics/worker-metrics';
import type { WorkerFlags } from './flags';
import { startWorkerHttp, type WorkerHttpServer } from './http-server';
import { ingestLogger } from './ingest-log';
import type { Logger } from './log';
import { Scraping } from './scraping';
import { StatusPublisher } from './status-publisher';

/** Everything the worker is started with. */
export interface WorkerOptions {
  readonly env: Env & { readonly databaseUrl: string };
  readonly flags: WorkerFlags;
  readonly logger: Logger;
  /** Aborting it during start-up (a signal while waiting for the database) gives up starting. */
  readonly signal: AbortSignal;
}

const MAINTENANCE_INTERVAL_MS = 3_600_000;

/**
 * The worker process's parts, wired as Prometheus' main: the HTTP listener, the config, the database
 * (migrated, with retention maintenance), the ingest queue, the scrape pipeline, and the publisher of
 * target health. `start` runs them; `reload` swaps the config; `stop` shuts down in order.
 */
export class Worker {
  private readonly metrics: WorkerMetrics;
  private readonly queue: IngestQueue;
  private readonly scraping: Scraping;
  private readonly publisher: StatusPublisher;
  private readonly db: Db;
  private http: WorkerHttpServer | null = null;
  private notReady: string | null = 'starting';
  private reloads: Promise<void> = Promise.resolve();
  private stopMaintenance = () => {};

  constructor(private readonly options: WorkerOptions) {
    const { env, logger } = options;
    this.db = connect(env.databaseUrl, { max: 4 });
    this.queue = new IngestQueue({
      capacity: env.workerQueueSize,
      write: (batch) => writeProfiles(this.db, batch, { maxProfileBytes: env.maxProfileBytes }),
      onEvent: ingestLogger(logger, (event) => this.metrics.observeIngest(event)),
    });
    this.metrics = new WorkerMetrics({ queueDepth: () => this.queue.depth, queueCapacity: env.workerQueueSize, targets: () => this.scraping.health?.snapshot() ?? null });
    this.scraping = new Scraping({ sink: this.queue, logger, onRecord: (target, report) => this.metrics.observeScrape(target, report) });
    this.publisher = new StatusPublisher(this.db, () => this.scraping.health, logger);
  }

  /** Where the HTTP listener is bound, once started. */
  get address(): string | null {
    return this.http?.address ?? null;
  }

  /** Starts every part; throws when the config or the database cannot be used (main then exits). */
  async start(): Promise<void> {
    const { env, flags, logger } = this.options;
    this.http = await startWorkerHttp(flags.listen ?? env.workerListen, {
      metrics: async () => ({ contentType: this.metrics.registry.contentType, body: await this.metrics.registry.metrics() }),
      notReadyReason: () => this.notReady,
      reload: () => this.reload(),
    });
    logger.info('listening', { address: this.http.address });
    const config = await this.loadConfig();
    this.notReady = 'waiting for the database';
    await this.waitForDatabase();
    this.options.signal.throwIfAborted();
    void this.scheduleMaintenance();
    await this.scraping.run(config);
    this.publisher.start();
    this.announce(config);
    this.notReady = null;
  }

  /** Loads the config again and swaps it in; a bad one is refused and the running one kept. */
  reload(): Promise<{ ok: boolean; message: string }> {
    const next = this.reloads.then(() => this.reloadNow());
    this.reloads = next.then(() => {}, () => {});
    return next;
  }

  /** Stops scraping, flushes the queue, and closes everything by `deadlineMs`; resolves with the profiles lost. */
  async stop(deadlineMs: number): Promise<number> {
    this.notReady = 'shutting down';
    await this.reloads;
    await this.scraping.stop();
    const lost = await this.queue.close(deadlineMs - 1000);
    await this.publisher.stop(deadlineMs - 500);
    this.stopMaintenance();
    await this.http?.close();
    await Promise.race([this.db.close(), sleep(Math.max(0, deadlineMs - Date.now()), undefined, { ref: false })]);
    return lost;
  }

  private async reloadNow(): Promise<{ ok: boolean; message: string }> {
    if (this.notReady !== null) return { ok: false, message: `cannot reload now: the worker is ${this.notReady}` };
    let config: WorkerConfig;
    try {
      config = await this.loadConfig();
    } catch (err) {
      this.options.logger.error('reloading the config failed; the previous config keeps running', { error: err });
      return { ok: false, message: `${(err as Error).message}\nthe previous config keeps running` };
    }
    await this.scraping.run(config);
    this.announce(config);
    return { ok: true, message: `reloaded ${config.source}: ${config.scrapeConfigs.length} job(s)` };
  }

  private async loadConfig(): Promise<WorkerConfig> {
    const { env, flags } = this.options;
    try {
      const config = await loadConfigFromSource({
        argv: flags.configFile === undefined ? [] : ['--config.file', flags.configFile],
        envConfigPath: env.configPath,
        webPort: env.port,
        workerAddress: this.http?.address.replace(/^(0\.0\.0\.0|\[::\]):/, '127.0.0.1:'),
      });
      this.metrics.observeReload(true);
      return config;
    } catch (err) {
      this.metrics.observeReload(false);
      throw err;
    }
  }

  private announce(config: WorkerConfig): void {
    this.publisher.setConfig({ source: config.source, yaml: config.text, loadedAtMs: Date.now() });
    this.options.logger.info('scraping', { config: config.source, jobs: config.scrapeConfigs.map((j) => j.jobName).join(',') });
  }

  /** Migrates the database, waiting out an unavailable one (logged) until it answers or start-up is cancelled. */
  private async waitForDatabase(): Promise<void> {
    for (let delayMs = 500; ; delayMs = Math.min(delayMs * 2, 10_000)) {
      try {
        return await migrate(this.options.env.databaseUrl);
      } catch (err) {
        if (!isRetryable(err)) throw err;
        this.options.logger.warn('waiting for the database', { error: err, retry_in_ms: delayMs });
      }
      await sleep(delayMs, undefined, { signal: this.options.signal });
    }
  }

  /** Runs retention maintenance now and hourly; a failed first pass is logged and tried again in an hour. */
  private async scheduleMaintenance(): Promise<void> {
    const { env, logger } = this.options;
    const onError = (err: unknown) => logger.warn('retention maintenance failed; will retry in an hour', { error: err });
    const onReport = (report: MaintenanceReport) => {
      if (report.dropped.length > 0) logger.info('dropped expired day partitions', { partitions: report.dropped.join(','), series_deleted: report.seriesDeleted });
    };
    const schedule = { retentionMs: env.retentionMs, intervalMs: MAINTENANCE_INTERVAL_MS, onError, onReport };
    try {
      this.stopMaintenance = await startMaintenance(this.db, schedule);
    } catch (err) {
      onError(err);
      const retry = setTimeout(() => void this.scheduleMaintenance(), MAINTENANCE_INTERVAL_MS).unref();
      this.stopMaintenance = () => clearTimeout(retry);
    }
  }
}

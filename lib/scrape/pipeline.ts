import type { WorkerConfig } from '../config/worker-config';
import { discoverersForJob } from '../discovery/discoverers';
import type { DnsResolver } from '../discovery/dns-sd';
import { DiscoveryManager } from '../discovery/manager';
import { TargetHealthRegistry } from './health';
import { ScrapeManager } from './manager';
import type { ProfileSink } from './sink';

/** The few log calls the pipeline makes; `console` fits, as does any structured logger. */
export interface PipelineLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** What the worker passes in. */
export interface ScrapePipelineDeps {
  readonly sink: ProfileSink;
  /** The worker's one AbortController: aborting it stops discovery and every loop. */
  readonly signal: AbortSignal;
  readonly logger: PipelineLogger;
  /** Filled with every target's health, for the targets API. */
  readonly health?: TargetHealthRegistry;
  readonly dnsResolver?: DnsResolver;
  readonly discoveryUpdateDelayMs?: number;
}

/**
 * The worker's pipeline up to storage (Prometheus' main wiring): config → discovery → scrape loops →
 * sink. Resolves after `signal` aborts and every loop has finished its last scrape.
 */
export async function runScrapePipeline(config: WorkerConfig, deps: ScrapePipelineDeps): Promise<void> {
  const { logger, signal } = deps;
  const discoveryFailed = (job: string, err: Error) => logger.warn('discovery failed; keeping the last good targets', { job, error: err.message });
  const scrapes = new ScrapeManager(config.scrapeConfigs, {
    sink: deps.sink,
    signal,
    health: deps.health ?? new TargetHealthRegistry(),
    externalLabels: config.global.externalLabels,
    onTargetError: (job, message) => logger.warn('cannot build scrape target', { job, error: message }),
  });
  const discovery = new DiscoveryManager({
    onUpdate: (job, groups) => scrapes.sync(job, groups),
    onError: discoveryFailed,
    updateDelayMs: deps.discoveryUpdateDelayMs,
  });
  const jobs = new Map(
    config.scrapeConfigs.map((job) => [
      job.jobName,
      discoverersForJob(job, { onError: (err) => discoveryFailed(job.jobName, err), dnsResolver: deps.dnsResolver }),
    ]),
  );
  await discovery.run(signal, jobs);
  await scrapes.closed();
}

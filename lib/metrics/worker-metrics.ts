import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { IngestEvent } from '../ingest-queue';
import type { HealthSnapshot, ScrapeReport, TargetHealth } from '../scrape/health';
import { decodeBacklog } from '../scrape/loop';

/** Live state the gauges read when /metrics is scraped. */
export interface WorkerMetricSources {
  readonly queueDepth: () => number;
  readonly queueCapacity: number;
  /** The current targets, or null before the first config runs. */
  readonly targets: () => HealthSnapshot | null;
}

const SCRAPE_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const WRITE_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The worker's Prometheus metrics on a registry of its own: scrapes, failures by reason, bytes and
 * durations per job and profile type (never per target, to keep cardinality bounded), write batches,
 * queue depth, dropped profiles, targets by health, config reloads, and Node's process metrics.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly scrapes = this.counter('profd_scrapes_total', 'Scrapes finished, by job and profile type.', ['job', 'profile_type']);
  private readonly failures = this.counter('profd_scrape_failures_total', 'Failed scrapes, by job, profile type and reason.', ['job', 'profile_type', 'reason']);
  private readonly bytes = this.counter('profd_scrape_bytes_total', 'Profile bytes received from targets.', ['job', 'profile_type']);
  private readonly scrapeSeconds = new Histogram({ name: 'profd_scrape_duration_seconds', help: 'How long scrapes took, failed ones included.', labelNames: ['job', 'profile_type'], buckets: SCRAPE_SECONDS, registers: [this.registry] });
  private readonly batches = this.counter('profd_write_batches_total', 'Batches written to the database, by result (written, retried).', ['result']);
  private readonly batchSeconds = new Histogram({ name: 'profd_write_batch_duration_seconds', help: 'How long each database write of a batch took.', buckets: WRITE_SECONDS, registers: [this.registry] });
  private readonly written = this.counter('profd_profiles_written_total', 'Profiles stored in the database.', []);
  private readonly dropped = this.counter('profd_profiles_dropped_total', 'Scraped profiles never stored, by reason (queue_full, rejected, shutdown).', ['reason']);
  private readonly reloadOk = new Gauge({ name: 'profd_config_last_reload_successful', help: 'Whether the last config (re)load succeeded (1) or not (0).', registers: [this.registry] });
  private readonly reloadAt = new Gauge({ name: 'profd_config_last_reload_success_timestamp_seconds', help: 'When the config was last loaded successfully.', registers: [this.registry] });

  constructor(sources: WorkerMetricSources) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({ name: 'profd_ingest_queue_profiles', help: 'Scraped profiles waiting to be written or being written.', registers: [this.registry], collect() { this.set(sources.queueDepth()); } });
    new Gauge({ name: 'profd_scrape_decode_backlog', help: 'Scraped profiles waiting for the CPU to decode them; growing means scraping outruns the CPU.', registers: [this.registry], collect() { this.set(decodeBacklog()); } });
    new Gauge({ name: 'profd_ingest_queue_capacity_profiles', help: 'Most profiles the queue holds before dropping the oldest.', registers: [this.registry] }).set(sources.queueCapacity);
    new Gauge({
      name: 'profd_targets', help: 'Scrape targets (endpoint × profile type) by health; dropped ones were removed by relabeling.', labelNames: ['health'], registers: [this.registry],
      collect() {
        const snapshot = sources.targets();
        const counts: Record<string, number> = { up: 0, down: 0, unknown: 0, dropped: snapshot?.dropped.length ?? 0 };
        for (const target of snapshot?.active ?? []) counts[target.health]++;
        for (const [health, count] of Object.entries(counts)) this.set({ health }, count);
      },
    });
  }

  /** Counts one finished scrape: the health registry's `onRecord`. */
  observeScrape(target: TargetHealth, report: ScrapeReport): void {
    const labels = { job: target.job, profile_type: target.profileType };
    this.scrapes.inc(labels);
    this.bytes.inc(labels, report.bytes);
    this.scrapeSeconds.observe(labels, report.durationMs / 1000);
    if (report.error) this.failures.inc({ ...labels, reason: report.error.reason });
  }

  /** Counts what the ingest queue reports. */
  observeIngest(event: IngestEvent): void {
    if (event.type === 'dropped') return void this.dropped.inc({ reason: event.reason }, event.profiles);
    this.batches.inc({ result: event.type === 'written' ? 'written' : 'retried' });
    this.batchSeconds.observe(event.seconds);
    if (event.type === 'written') this.written.inc(event.written);
  }

  /** Records a config load or reload. */
  observeReload(success: boolean, atMs = Date.now()): void {
    this.reloadOk.set(success ? 1 : 0);
    if (success) this.reloadAt.set(atMs / 1000);
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}

import type { WorkerConfig } from '../lib/config/worker-config';
import { TargetHealthRegistry, type TargetHealthOptions } from '../lib/scrape/health';
import { runScrapePipeline } from '../lib/scrape/pipeline';
import type { ProfileSink } from '../lib/scrape/sink';
import type { Logger } from './log';

/** What the scrape pipeline needs from the worker. */
export interface ScrapingDeps {
  readonly sink: ProfileSink;
  readonly logger: Logger;
  readonly onRecord: TargetHealthOptions['onRecord'];
}

interface Running {
  readonly config: WorkerConfig;
  readonly health: TargetHealthRegistry;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * Runs the scrape pipeline for one config at a time. A new config stops the running pipeline (its
 * in-flight scrapes are cancelled, what they already handed to the sink stays queued) and starts
 * the new one; targets present in both keep their health and, since a target's scrape phase comes
 * from its hash, their rhythm.
 */
export class Scraping {
  private running: Running | null = null;

  constructor(private readonly deps: ScrapingDeps) {}

  /** The health of the running (or last stopped) config's targets; null before the first. */
  get health(): TargetHealthRegistry | null {
    return this.running?.health ?? null;
  }

  /** Stops the running pipeline, if any, and starts scraping `config`. */
  async run(config: WorkerConfig): Promise<void> {
    const previous = this.running;
    await this.stop();
    const controller = new AbortController();
    const health = new TargetHealthRegistry({ previous: previous?.health, onRecord: this.deps.onRecord });
    const done = runScrapePipeline(config, { sink: this.deps.sink, signal: controller.signal, logger: this.deps.logger, health }).catch((err: Error) =>
      this.deps.logger.error('the scrape pipeline failed; no targets are scraped until the next reload', { error: err }),
    );
    this.running = { config, health, controller, done };
  }

  /** Stops scraping and resolves once every loop has ended. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running.controller.abort();
    await this.running.done;
  }
}

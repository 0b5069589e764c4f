import type { Agent } from 'undici';
import type { ScrapeConfig } from '../config/worker-config';
import type { TargetGroup } from '../discovery/target-group';
import type { Labels } from '../selector/matcher';
import { createScrapeAgent } from './fetch-profile';
import { TargetHealthRegistry } from './health';
import { ScrapeLoop, type ScrapeLoopDeps } from './loop';
import type { ProfileSink } from './sink';
import type { ScrapeTarget } from './target';
import { targetsFromGroup } from './targets-from-group';

/** What the manager needs from outside. */
export interface ScrapeManagerOptions {
  readonly sink: ProfileSink;
  /** Aborting it stops every loop: the worker's one AbortController. */
  readonly signal: AbortSignal;
  readonly health?: TargetHealthRegistry;
  readonly externalLabels?: Labels;
  /** Targets that could not be built from discovered labels, to be logged. */
  readonly onTargetError?: (job: string, message: string) => void;
}

interface RunningLoop {
  readonly job: string;
  readonly loop: ScrapeLoop;
}

/**
 * Keeps one scrape loop running per target (Prometheus' scrape.Manager and scrapePool.Sync): each
 * sync expands a job's groups into targets, starts loops for new ones, stops loops for those gone,
 * and leaves unchanged ones (same hash) running undisturbed.
 */
export class ScrapeManager {
  readonly health: TargetHealthRegistry;
  private readonly jobs: ReadonlyMap<string, ScrapeConfig>;
  private readonly loops = new Map<string, RunningLoop>();
  /** Stopped loops whose last scrape has not ended yet, so closing waits for their last write. */
  private readonly stopping = new Set<Promise<void>>();
  private readonly agent: Agent = createScrapeAgent();
  private readonly loopDeps: ScrapeLoopDeps;

  constructor(jobs: readonly ScrapeConfig[], private readonly options: ScrapeManagerOptions) {
    this.jobs = new Map(jobs.map((j) => [j.jobName, j]));
    this.health = options.health ?? new TargetHealthRegistry();
    this.loopDeps = { sink: options.sink, health: this.health, dispatcher: this.agent };
    options.signal.addEventListener('abort', () => this.loops.forEach(({ loop }) => this.untilEnded(loop)), { once: true });
  }

  /** Brings a job's loops in line with its latest discovered groups. */
  sync(jobName: string, groups: readonly TargetGroup[]): void {
    const job = this.jobs.get(jobName);
    if (!job || this.options.signal.aborted) return;
    const wanted = new Map<string, ScrapeTarget>();
    const dropped = [];
    for (const group of groups) {
      const result = targetsFromGroup(job, group, this.options.externalLabels);
      for (const target of result.active) wanted.set(target.hash, target);
      dropped.push(...result.dropped);
      for (const message of result.errors) this.options.onTargetError?.(jobName, message);
    }
    this.health.setDropped(jobName, dropped);
    for (const [hash, loop] of this.loops) {
      if (loop.job === jobName && !wanted.has(hash)) this.stopLoop(hash, loop);
    }
    for (const [hash, target] of wanted) {
      if (!this.loops.has(hash)) this.startLoop(target);
    }
  }

  /** Resolves once every loop has ended after the signal aborted, then closes the connection pool. */
  async closed(): Promise<void> {
    if (!this.options.signal.aborted) {
      await new Promise((resolve) => this.options.signal.addEventListener('abort', resolve, { once: true }));
    }
    await Promise.all(this.stopping);
    await this.agent.close();
  }

  private startLoop(target: ScrapeTarget): void {
    this.health.add(target);
    this.loops.set(target.hash, { job: target.job, loop: new ScrapeLoop(target, this.loopDeps) });
  }

  private stopLoop(hash: string, running: RunningLoop): void {
    this.untilEnded(running.loop);
    this.loops.delete(hash);
    this.health.remove(hash);
  }

  /** Stops a loop and keeps its last scrape in `stopping` until it ends. */
  private untilEnded(loop: ScrapeLoop): void {
    const ended = loop.stop().finally(() => this.stopping.delete(ended));
    this.stopping.add(ended);
  }
}

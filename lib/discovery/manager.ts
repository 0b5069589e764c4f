import type { Discoverer, TargetGroup } from './target-group';

/** Where the manager sends merged groups, and discovery errors to log. */
export interface DiscoveryManagerOptions {
  /** Called with all of a job's groups, from every discoverer, whenever they change. */
  readonly onUpdate: (job: string, groups: TargetGroup[]) => void;
  readonly onError: (job: string, err: Error) => void;
  /**
   * How long to gather changes before sending them, like Prometheus' 5 s update ticker: a file_sd
   * directory rewritten file by file becomes one update. Shorter here so new targets show up quickly.
   */
  readonly updateDelayMs?: number;
}

/**
 * Runs every job's discoverers and merges their groups per job (Prometheus' discovery.Manager).
 * Holds no business logic: groups in, groups out. A discoverer that fails leaves its last groups as
 * they were; sources from different discoverers never collide because each keeps its own slot.
 */
export class DiscoveryManager {
  private readonly groups = new Map<string, TargetGroup[][]>();
  private readonly sent = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: DiscoveryManagerOptions) {}

  /** Runs until `signal` aborts (static discoverers finish at once; their groups stay); resolves when all have stopped. */
  async run(signal: AbortSignal, jobs: ReadonlyMap<string, readonly Discoverer[]>): Promise<void> {
    const runs: Promise<void>[] = [];
    for (const [job, discoverers] of jobs) {
      this.groups.set(job, discoverers.map(() => []));
      discoverers.forEach((discoverer, slot) => {
        const onGroups = (groups: TargetGroup[]) => this.receive(job, slot, groups);
        runs.push(
          discoverer.run(signal, onGroups).catch((err: Error) => this.options.onError(job, new Error(`discovery stopped: ${err.message}`))),
        );
      });
    }
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => {
        if (this.timer) clearTimeout(this.timer);
        resolve();
      }, { once: true });
    });
    await Promise.all([...runs, aborted]);
  }

  private receive(job: string, slot: number, groups: TargetGroup[]): void {
    const slots = this.groups.get(job);
    if (!slots) return;
    slots[slot] = groups;
    this.dirty.add(job);
    this.timer ??= setTimeout(() => this.flush(), this.options.updateDelayMs ?? 1000);
  }

  private flush(): void {
    this.timer = null;
    for (const job of this.dirty) {
      const merged = (this.groups.get(job) ?? []).flat();
      // Discoverers re-emit on every refresh; only a real change restarts anything downstream.
      const key = JSON.stringify(merged);
      if (this.sent.get(job) === key) continue;
      this.sent.set(job, key);
      this.options.onUpdate(job, merged);
    }
    this.dirty.clear();
  }
}

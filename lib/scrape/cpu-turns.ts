/**
 * Runs CPU-heavy steps (decoding scraped profiles) one per event-loop turn, in arrival order, and
 * holds back new scrapes while too many bodies wait for theirs. Without it, one poll phase that
 * completes hundreds of responses decodes them all before any other callback runs: under load the
 * event loop stalled for seconds, scrapes of healthy targets timed out, database writes starved (one
 * 100-profile batch per 45 s in bench/worker.bench.ts) and waiting bodies grew the heap past 600 MB.
 * Taking turns lets network and database I/O in between every two decodes; the admission limit turns
 * a CPU shortage into late scrapes (which the loops already handle by skipping ticks) instead.
 */
export class CpuTurns {
  private readonly waiting: (() => void)[] = [];
  private readonly admissions: (() => void)[] = [];
  private scheduled = false;

  /** `limit`: most steps waiting before `admit` holds callers back. */
  constructor(private readonly limit: number) {}

  /** Steps waiting for their turn. */
  get length(): number {
    return this.waiting.length;
  }

  /**
   * Resolves when a new scrape may start: at once while fewer than `limit` steps wait, else one caller
   * per finished step. Rejects if `signal` aborts first.
   */
  admit(signal?: AbortSignal): Promise<void> {
    if (this.waiting.length < this.limit && this.admissions.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const admitted = () => {
        signal?.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = () => {
        const i = this.admissions.indexOf(admitted);
        if (i >= 0) this.admissions.splice(i, 1);
        reject(signal?.reason);
      };
      this.admissions.push(admitted);
      signal?.addEventListener('abort', aborted, { once: true });
    });
  }

  /**
   * Runs `step` on a later turn of the event loop, after the steps queued before it. A step whose
   * `signal` aborts while it waits is skipped and rejects with the signal's reason, so stopping a
   * backlog of scrapes does not first decode every one of them.
   */
  run<T>(step: () => T, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        try {
          signal?.throwIfAborted();
          resolve(step());
        } catch (err) {
          reject(err);
        }
      });
      if (!this.scheduled) this.next();
    });
  }

  // An immediate queued while immediates run waits for the next loop iteration, after its poll phase.
  // One admission per turn paces new scrapes to the decoding rate while the backlog is full.
  private next(): void {
    this.scheduled = true;
    setImmediate(() => {
      this.waiting.shift()?.();
      if (this.admissions.length > 0 && this.waiting.length < this.limit) this.admissions.shift()?.();
      if (this.waiting.length > 0 || this.admissions.length > 0) this.next();
      else this.scheduled = false;
    });
  }
}

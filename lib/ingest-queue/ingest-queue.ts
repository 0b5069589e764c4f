import { setTimeout as sleep } from 'node:timers/promises';
import type { IngestItem, WriteResult } from '../db';
import type { ProfileSink, ScrapedProfile } from '../scrape/sink';
import { writeBatch, type BatchOutcome } from './write-batch';

/** Why profiles left the queue unwritten. */
export type DropReason = 'queue_full' | 'rejected' | 'shutdown';

/** What the queue reports, for metrics and logs. */
export type IngestEvent =
  | { readonly type: 'written'; readonly profiles: number; readonly written: number; readonly seconds: number }
  | { readonly type: 'retrying'; readonly profiles: number; readonly seconds: number; readonly retryInMs: number; readonly error: Error }
  | { readonly type: 'dropped'; readonly reason: DropReason; readonly profiles: number; readonly error?: Error };

/** How the queue writes and how much it holds. */
export interface IngestQueueOptions {
  /** Stores one batch, all or nothing: lib/db's writeProfiles. */
  readonly write: (batch: readonly IngestItem[]) => Promise<WriteResult>;
  /**
   * Most profiles waiting; past it the oldest are dropped. The batch being written is out of the queue
   * until it fails, so up to `maxBatch` more may be held meanwhile, and on failure it is the oldest.
   */
  readonly capacity: number;
  /** Most profiles per write (default 100). */
  readonly maxBatch?: number;
  /** How long a profile may wait for its batch to fill (default 250 ms). */
  readonly flushDelayMs?: number;
  /** First and longest pause between retries while the database is unavailable (default 250 ms and 5 s). */
  readonly retryMs?: { readonly min: number; readonly max: number };
  readonly onEvent?: (event: IngestEvent) => void;
}

/**
 * The worker's sink: a bounded in-memory queue written to the database in batches by one writer.
 * Scrape loops never wait on the database, since `write` only enqueues; a queued profile costs its
 * blob and its small summary (lib/pprof/summary), never a decoded profile. While the database is
 * unavailable the unwritten batch stays at the head and is retried with exponential backoff, new
 * profiles queue behind it, and once the queue is full the oldest are dropped and reported.
 */
export class IngestQueue implements ProfileSink {
  private readonly pending: IngestItem[] = [];
  private inFlight = 0;
  private closing = false;
  private deadlineMs = Infinity;
  private wake: (() => void) | null = null;
  private readonly maxBatch: number;
  private readonly done: Promise<void>;

  constructor(private readonly options: IngestQueueOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new Error(`the ingest queue size must be a whole number above 0, got ${options.capacity}`);
    }
    this.maxBatch = Math.min(options.maxBatch ?? 100, options.capacity);
    this.done = this.run();
  }

  /** Profiles waiting or being written. */
  get depth(): number {
    return this.pending.length + this.inFlight;
  }

  /** Enqueues a scraped profile and resolves at once; refused once the queue is closing. */
  async write(item: ScrapedProfile): Promise<void> {
    if (this.closing) throw new Error('the worker is shutting down and no longer accepts profiles');
    this.pending.push({ labels: item.labels, timestampMs: item.timestampMs, blob: item.blob, summary: item.summary });
    this.dropOverflow();
    if (this.pending.length === 1 || this.pending.length >= this.maxBatch) this.wake?.();
  }

  /**
   * Stops accepting profiles and writes what is queued, retrying until `deadlineMs` (epoch ms). What is
   * still unwritten then is reported as dropped; resolves with how many profiles that was.
   */
  async close(deadlineMs: number): Promise<number> {
    this.closing = true;
    this.deadlineMs = deadlineMs;
    this.wake?.();
    await Promise.race([this.done, sleep(Math.max(0, deadlineMs - Date.now()), undefined, { ref: false })]);
    const lost = this.depth;
    if (lost > 0) this.emit({ type: 'dropped', reason: 'shutdown', profiles: lost });
    this.pending.length = 0;
    return lost;
  }

  private async run(): Promise<void> {
    const retry = this.options.retryMs ?? { min: 250, max: 5000 };
    let backoffMs = retry.min;
    while (!(this.closing && (this.pending.length === 0 || Date.now() >= this.deadlineMs))) {
      await this.batchReady();
      if (this.pending.length === 0) continue;
      const batch = this.pending.splice(0, this.maxBatch);
      this.inFlight = batch.length;
      const outcome = await writeBatch(batch, this.options.write);
      this.inFlight = 0;
      this.report(outcome, backoffMs);
      if (outcome.retry.length === 0) {
        backoffMs = retry.min;
        continue;
      }
      this.pending.unshift(...outcome.retry);
      this.dropOverflow();
      await sleep(Math.max(0, Math.min(backoffMs, this.deadlineMs - Date.now())));
      backoffMs = Math.min(backoffMs * 2, retry.max);
    }
  }

  /** Waits for the first profile, then until the batch is full, the flush delay passes, or the queue closes. */
  private async batchReady(): Promise<void> {
    if (this.pending.length === 0 && !this.closing) await this.wakeUp(Infinity);
    if (this.pending.length < this.maxBatch && !this.closing) await this.wakeUp(this.options.flushDelayMs ?? 250);
  }

  /** Resolves at the next `wake` (a profile arriving or filling a batch, or close) or after `ms`. */
  private wakeUp(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => this.wake?.(), ms) : undefined;
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  private report(outcome: BatchOutcome, backoffMs: number): void {
    if (outcome.stored > 0) this.emit({ type: 'written', profiles: outcome.stored, written: outcome.written, seconds: outcome.seconds });
    for (const { count, error } of outcome.rejected) this.emit({ type: 'dropped', reason: 'rejected', profiles: count, error });
    if (outcome.retryError) {
      this.emit({ type: 'retrying', profiles: outcome.retry.length, seconds: outcome.seconds, retryInMs: backoffMs, error: outcome.retryError });
    }
  }

  private dropOverflow(): void {
    const excess = this.pending.length - this.options.capacity;
    if (excess <= 0) return;
    this.pending.splice(0, excess);
    this.emit({ type: 'dropped', reason: 'queue_full', profiles: excess });
  }

  private emit(event: IngestEvent): void {
    this.options.onEvent?.(event);
  }
}

import type { PGlite } from '@electric-sql/pglite';

/**
 * Shares PGlite's single backend session among many client connections, one protocol exchange at a
 * time. It replaces pglite-socket's own queue, which schedules message by message and keeps a client
 * only while a transaction is open: two clients' Parse/Bind/Execute/Sync batches then interleave and
 * clobber each other's unnamed statement and portal (our concurrent-writer test failed with `portal ""
 * does not exist`; upstream electric-sql/pglite#1046), and one failed message wedges its queue for good.
 *
 * Here a client owns the session from its first extended-protocol message until its Sync, and for the
 * whole of any transaction it opens; everyone else waits, so a client must not sit idle inside a
 * transaction. The interface is the one PGLiteSocketHandler calls (`queryQueue`).
 */
export class SessionQueue {
  private readonly jobs: Job[] = [];
  private owner: number | null = null;
  private draining = false;

  constructor(private readonly db: PGlite) {}

  /** Queues one protocol message from a client; resolves with the bytes of response sent to `onData`. */
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.jobs.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  /** How many messages are waiting. */
  getQueueLength(): number {
    return this.jobs.length;
  }

  /** Drops a departed client's waiting messages. */
  clearQueueForHandler(handlerId: number): void {
    for (let i = this.jobs.length - 1; i >= 0; i--) {
      if (this.jobs[i].handlerId !== handlerId) continue;
      this.jobs.splice(i, 1)[0].reject(new Error('client disconnected'));
    }
  }

  /**
   * Frees the session when its owner leaves mid-exchange: a Sync ends the half-sent batch (after an
   * error the backend skips everything until one), and a ROLLBACK ends an open transaction.
   */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRaw(SYNC);
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    });
    this.owner = null;
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let job = this.next(); job; job = this.next()) await this.run(job);
    } finally {
      this.draining = false;
    }
  }

  private next(): Job | undefined {
    const i = this.owner === null ? 0 : this.jobs.findIndex((j) => j.handlerId === this.owner);
    return i < 0 ? undefined : this.jobs.splice(i, 1)[0];
  }

  private async run(job: Job): Promise<void> {
    let bytes = 0;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(job.message, {
          onRawData: (data) => {
            bytes += data.length;
            job.onData(data);
          },
        }),
      );
      this.owner = EXTENDED_PROTOCOL.has(job.message[0]) || this.db.isInTransaction() ? job.handlerId : null;
      job.resolve(bytes);
    } catch (err) {
      // The client drops its connection on this error; owning the session makes that clean it up.
      this.owner = job.handlerId;
      job.reject(err);
    }
  }
}

interface Job {
  readonly handlerId: number;
  readonly message: Uint8Array;
  readonly onData: (data: Uint8Array) => void;
  readonly resolve: (bytes: number) => void;
  readonly reject: (err: unknown) => void;
}

// Parse, Bind, Describe, Execute, Close, Flush: messages that leave the exchange open until a Sync.
const EXTENDED_PROTOCOL = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import type { Db } from './client';
import type { PreparedItem } from './prepare';

/** One `samples` row: a prepared item and the id of its series. */
export type SampleRow = Omit<PreparedItem, 'labels' | 'fingerprint'> & { readonly seriesId: number };

/**
 * How long a COPY may go unconfirmed once all its data and CopyDone are sent. postgres.js 3.4.9 never
 * settles a COPY that the server refuses after CopyDone (porsager/postgres#1173), so past this the
 * COPY counts as failed and its transaction is rolled back; one that was merely slow is written again.
 */
const CONFIRM_TIMEOUT_MS = 5_000;
const CONFIRM_CHECK_MS = 100;

const COLUMNS = 'series_id, ts, blob, blob_size, sample_types, default_sample_type, totals, duration_nanos, period_type, period';
const UNIQUE_VIOLATION = '23505';
const TEXT_OID = 25;
const FLOAT8_OID = 701;
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
// The PGCOPY signature, then 32-bit flags and header-extension length, both 0.
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const TRAILER = Buffer.from([0xff, 0xff]);

/** A COPY that the server did not confirm in time; nothing of it is committed once its transaction rolls back. */
export class CopyUnconfirmedError extends Error {
  override readonly name = 'CopyUnconfirmedError';
}

/** True when the rows should be written again by INSERT: one was stored meanwhile, or the COPY went unconfirmed. */
export function isCopyRefusal(err: unknown): boolean {
  return err instanceof CopyUnconfirmedError || (err as { code?: unknown }).code === UNIQUE_VIOLATION;
}

const copySupport = new WeakMap<Db, Promise<boolean>>();

/**
 * Whether the server takes COPY ... FROM STDIN. The embedded PGlite server does not: pglite-socket
 * hands each wire message to PGlite on its own and a COPY never completes (electric-sql/pglite#1028).
 * Asked once per pool.
 */
export function serverCopies(db: Db): Promise<boolean> {
  let known = copySupport.get(db);
  if (!known) {
    known = db.client<{ pglite: boolean }[]>`select version() like '%PGlite%' as pglite`.then(([row]) => !row.pglite);
    known.catch(() => copySupport.delete(db));
    copySupport.set(db, known);
  }
  return known;
}

/**
 * Inserts the rows with one COPY ... FROM STDIN in PostgreSQL's binary format, inside the caller's
 * transaction. COPY has no ON CONFLICT: a row already stored fails it (see isCopyRefusal).
 * Resolves with the number of rows; none makes no COPY.
 * Hand-written rather than a drizzle INSERT because postgres.js sends every parameter as text: each
 * blob became a base64 string in the V8 heap plus about five buffer copies while the statement was
 * built, and at 333 profiles/s (bench/worker.bench.ts) that churn kept ~50 MB more heap and buffers
 * alive (peak RSS 317-326 MB by INSERT, 265-272 MB by COPY, same runs). Here a blob is copied once,
 * into its CopyData message (the write path alone: 0.44 rather than 0.61 ms of CPU per profile).
 */
export async function copySamples(tx: postgres.TransactionSql, rows: readonly SampleRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const stream = await tx.unsafe(`copy samples (${COLUMNS}) from stdin with (format binary)`).writable();
  const watch = confirmationWatch(stream, rows.length);
  try {
    await Promise.race([pipeline(Readable.from(copyData(rows)), stream), watch.timedOut]);
  } finally {
    watch.stop();
  }
  return rows.length;
}

/**
 * Rejects when the COPY stream has been ended, with every write handed to the socket (so postgres.js
 * has sent CopyDone and later queries are in order), and no answer came for CONFIRM_TIMEOUT_MS.
 */
function confirmationWatch(stream: Writable, rows: number): { timedOut: Promise<never>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    let doneAt = 0;
    timer = setInterval(() => {
      if (!stream.writableEnded || stream.writableLength > 0) return;
      doneAt ||= Date.now();
      if (Date.now() - doneAt >= CONFIRM_TIMEOUT_MS) reject(new CopyUnconfirmedError(`the server did not confirm the COPY of ${rows} profiles within ${CONFIRM_TIMEOUT_MS} ms`));
    }, CONFIRM_CHECK_MS);
  });
  return { timedOut, stop: () => clearInterval(timer) };
}

/** The COPY data: header, then per row the fields before the blob, the blob itself, the fields after it; trailer. */
function* copyData(rows: readonly SampleRow[]): Generator<Buffer> {
  yield HEADER;
  for (const row of rows) {
    yield new FieldWriter(64).fieldCount(10).int64(row.seriesId).int64((row.timestampMs - POSTGRES_EPOCH_MS) * 1000).length(row.blob.byteLength).bytes();
    yield row.blob;
    const after = new FieldWriter(256).int32(row.blob.byteLength).textArray(row.sampleTypes).text(row.defaultSampleType).float8Array(row.totals);
    yield after.int64(row.durationNanos).text(row.periodType).int64(row.period).bytes();
  }
  yield TRAILER;
}

/** Writes binary COPY fields (a 32-bit length, then the value in its type's binary send format) into a growing buffer. */
class FieldWriter {
  private buffer: Buffer;
  private at = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  fieldCount(count: number): this {
    this.room(2);
    this.at = this.buffer.writeInt16BE(count, this.at);
    return this;
  }

  /** A field's length alone, for a value that follows separately. */
  length(bytes: number): this {
    return this.raw32(bytes);
  }

  int32(value: number): this {
    return this.raw32(4).raw32(value);
  }

  int64(value: number): this {
    this.raw32(8).room(8);
    this.at = this.buffer.writeBigInt64BE(BigInt(value), this.at);
    return this;
  }

  text(value: string): this {
    const bytes = Buffer.byteLength(value);
    this.raw32(bytes).room(bytes);
    this.at += this.buffer.write(value, this.at, 'utf8');
    return this;
  }

  textArray(values: readonly string[]): this {
    const start = this.arrayHeader(values.length, TEXT_OID);
    for (const value of values) this.text(value);
    return this.fieldEnd(start);
  }

  float8Array(values: readonly number[]): this {
    const start = this.arrayHeader(values.length, FLOAT8_OID);
    for (const value of values) {
      this.raw32(8).room(8);
      this.at = this.buffer.writeDoubleBE(value, this.at);
    }
    return this.fieldEnd(start);
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.at);
  }

  /** array_send's header after a length to fill in later: dimensions (0 when empty), no nulls, element type, then size and lower bound 1. */
  private arrayHeader(count: number, elementOid: number): number {
    const start = this.raw32(0).at;
    this.raw32(count === 0 ? 0 : 1).raw32(0).raw32(elementOid);
    if (count > 0) this.raw32(count).raw32(1);
    return start;
  }

  /** Fills in the length of the field whose value began at `start`. */
  private fieldEnd(start: number): this {
    this.buffer.writeInt32BE(this.at - start, start - 4);
    return this;
  }

  private raw32(value: number): this {
    this.room(4);
    this.at = this.buffer.writeInt32BE(value, this.at);
    return this;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }
}

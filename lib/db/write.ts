import { sql, type SQL } from 'drizzle-orm';
import type postgres from 'postgres';
import { DEFAULT_MAX_PROFILE_BYTES } from '../pprof';
import type { Db } from './client';
import { copySamples, isCopyRefusal, serverCopies, type SampleRow } from './copy-samples';
import { withRetryableErrors } from './errors';
import { ensurePartitions } from './partitions';
import { prepareBatch, type IngestItem, type PreparedItem } from './prepare';
import { samples } from './schema/samples';
import { series } from './schema/series';

/** Options for writeProfiles. */
export interface WriteOptions {
  /** Largest profile accepted, compressed or not, in bytes (PROFD_MAX_PROFILE_BYTES). */
  readonly maxProfileBytes?: number;
}

/** What a write stored: new profiles, and profiles skipped because their series already had one at that instant. */
export interface WriteResult {
  readonly written: number;
  readonly duplicates: number;
}

// Rows per INSERT: well under Postgres' 65,535 parameters. Blob bytes per INSERT: postgres.js sends
// every parameter as text, and past a few MB per message its buffer growth and the garbage collector
// cost more client CPU than the extra round trips (measured here: about 1.1 ms of CPU per 50 KB
// profile with 2 MB statements against 1.3 ms with 8 MB, at the same throughput within noise).
const ROWS_PER_STATEMENT = 1000;
const BLOB_BYTES_PER_STATEMENT = 2 * 1024 * 1024;

/**
 * The one ingest entry point, for the worker and the push API alike. Validates the whole batch first
 * (a StorageInputError names the bad item), makes sure each day has its partition, then upserts the
 * series and stores the samples in one transaction: either every profile is stored or none is.
 * Writing the same series and timestamp again is a no-op, so a retried batch cannot duplicate data.
 */
export async function writeProfiles(db: Db, batch: readonly IngestItem[], options: WriteOptions = {}): Promise<WriteResult> {
  const items = prepareBatch(batch, options.maxProfileBytes ?? DEFAULT_MAX_PROFILE_BYTES);
  if (items.length === 0) return { written: 0, duplicates: 0 };
  return withRetryableErrors('writing profiles', async () => {
    await ensurePartitions(db, items.map((item) => item.timestampMs));
    const copy = await serverCopies(db);
    // Another writer storing one of these profiles between the check for stored ones and the COPY
    // makes the COPY fail; the INSERT, which skips stored profiles, then writes the batch.
    const written = await storeBatch(db, items, copy).catch((err: unknown) => {
      if (copy && isCopyRefusal(err)) return storeBatch(db, items, false);
      throw err;
    });
    return { written, duplicates: items.length - written };
  });
}

/**
 * One transaction: the series, then the samples by COPY or by INSERT; resolves with how many samples
 * were new. drizzle builds the statements and postgres.js runs them in a transaction of its own,
 * since a drizzle transaction cannot COPY.
 */
async function storeBatch(db: Db, items: readonly PreparedItem[], copy: boolean): Promise<number> {
  return db.client.begin(async (tx) => {
    const seriesIds = await upsertSeries(db, tx, items);
    const rows = items.map((item) => ({ ...item, seriesId: seriesIds.get(item.fingerprint.toString('hex'))! }));
    return copy ? copySamples(tx, await unstored(tx, rows)) : insertSamples(db, tx, rows);
  });
}

/** The rows whose series has no profile at that instant yet, each instant once: COPY has no ON CONFLICT DO NOTHING. */
async function unstored(tx: postgres.TransactionSql, rows: readonly SampleRow[]): Promise<SampleRow[]> {
  const ids = rows.map((r) => String(r.seriesId));
  const times = rows.map((r) => iso(r.timestampMs));
  const stored = await tx<{ key: string }[]>`
    select series_id || '@' || (extract(epoch from ts) * 1000)::bigint as key from samples
    where (series_id, ts) in (select * from unnest(${ids}::text[]::bigint[], ${times}::text[]::timestamptz[]))`;
  const seen = new Set(stored.map((r) => r.key));
  return rows.filter((row) => {
    const key = `${row.seriesId}@${row.timestampMs}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Runs a statement drizzle built in the transaction, unprepared as drizzle runs it; resolves with its rows. */
function run<Row>(tx: postgres.TransactionSql, statement: { toSQL(): { sql: string; params: unknown[] } }): Promise<Row[]> {
  const { sql: text, params } = statement.toSQL();
  return tx.unsafe<Row[]>(text, params as postgres.ParameterOrJSON<never>[], { prepare: false });
}

/** Inserts new series and widens first/last seen of existing ones; returns series id by fingerprint (hex). */
async function upsertSeries(db: Db, tx: postgres.TransactionSql, items: readonly PreparedItem[]): Promise<Map<string, number>> {
  const byKey = new Map<string, { fingerprint: Buffer; labels: PreparedItem['labels']; first: number; last: number }>();
  for (const item of items) {
    const key = item.fingerprint.toString('hex');
    const entry = byKey.get(key);
    if (entry) {
      entry.first = Math.min(entry.first, item.timestampMs);
      entry.last = Math.max(entry.last, item.timestampMs);
    } else {
      byKey.set(key, { fingerprint: item.fingerprint, labels: item.labels, first: item.timestampMs, last: item.timestampMs });
    }
  }
  // Sorted so concurrent batches lock shared series rows in the same order and cannot deadlock.
  const rows = [...byKey.keys()].sort().map((key) => {
    const e = byKey.get(key)!;
    return { fingerprint: e.fingerprint, labels: e.labels, firstSeen: iso(e.first), lastSeen: iso(e.last) };
  });
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const upsert = db.orm
      .insert(series)
      .values(rows.slice(i, i + ROWS_PER_STATEMENT))
      .onConflictDoUpdate({
        target: series.fingerprint,
        set: {
          firstSeen: sql`least(${series.firstSeen}, excluded.first_seen)`,
          lastSeen: sql`greatest(${series.lastSeen}, excluded.last_seen)`,
        },
      })
      .returning({ id: series.id, fingerprint: series.fingerprint });
    // Raw rows: postgres.js reads bigint as a string and bytea as a Buffer (lib/db/client.ts).
    for (const r of await run<{ id: string; fingerprint: Buffer }>(tx, upsert)) ids.set(r.fingerprint.toString('hex'), Number(r.id));
  }
  return ids;
}

/** Inserts the sample rows in statements of bounded size, skipping ones already stored; returns how many were new. */
async function insertSamples(db: Db, tx: postgres.TransactionSql, rows: readonly SampleRow[]): Promise<number> {
  let written = 0;
  for (const chunk of statementChunks(rows)) {
    const insert = db.orm
      .insert(samples)
      .values(
        chunk.map((row) => ({
          seriesId: row.seriesId,
          ts: iso(row.timestampMs),
          blob: base64Bytea(row.blob),
          blobSize: row.blob.byteLength,
          sampleTypes: row.sampleTypes,
          defaultSampleType: row.defaultSampleType,
          totals: row.totals,
          durationNanos: row.durationNanos,
          periodType: row.periodType,
          period: row.period,
        })),
      )
      .onConflictDoNothing()
      .returning({ seriesId: samples.seriesId });
    written += (await run(tx, insert)).length;
  }
  return written;
}

/**
 * A blob as a bytea value sent in base64: postgres.js sends parameters as text only, and base64 takes
 * 4 characters per 3 bytes where bytea's own text form, hex, takes 6. Writing the worker's profiles
 * (35 KB on average, batches of 100) cost 0.32 rather than 0.59 ms of client CPU each (4 runs of 6,000).
 */
function base64Bytea(blob: Buffer): SQL {
  return sql`decode(${blob.toString('base64')}, 'base64')`;
}

/** Splits rows into runs of bounded row count and blob bytes (a single larger blob gets a run of its own). */
function statementChunks(rows: readonly SampleRow[]): SampleRow[][] {
  const chunks: SampleRow[][] = [];
  let current: SampleRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const full = current.length === ROWS_PER_STATEMENT || bytes + row.blob.byteLength > BLOB_BYTES_PER_STATEMENT;
    if (current.length > 0 && full) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += row.blob.byteLength;
  }
  chunks.push(current);
  return chunks;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

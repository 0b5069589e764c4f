import { isRetryable, type IngestItem, type WriteResult } from '../db';

/** What became of one batch. */
export interface BatchOutcome {
  /** Profiles now stored (new ones and ones the database already had). */
  readonly stored: number;
  /** Of those, the ones that were new. */
  readonly written: number;
  /** Profiles the database refused for good, with why. */
  readonly rejected: readonly { readonly count: number; readonly error: Error }[];
  /** Profiles to try again because the database was unavailable, and the error that said so. */
  readonly retry: IngestItem[];
  readonly retryError: Error | null;
  readonly seconds: number;
}

type Write = (batch: readonly IngestItem[]) => Promise<WriteResult>;

/**
 * Writes a batch in one transaction. A batch the database refuses for any reason but unavailability
 * (a bad label, a broken profile, a constraint) is written again one profile at a time, so a single
 * bad profile costs only itself; an unavailable database hands every unwritten profile back to retry.
 */
export async function writeBatch(batch: IngestItem[], write: Write): Promise<BatchOutcome> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const result = await write(batch);
    return { stored: batch.length, written: result.written, rejected: [], retry: [], retryError: null, seconds: seconds() };
  } catch (err) {
    if (isRetryable(err)) return { stored: 0, written: 0, rejected: [], retry: batch, retryError: err as Error, seconds: seconds() };
    if (batch.length === 1) return { stored: 0, written: 0, rejected: [{ count: 1, error: err as Error }], retry: [], retryError: null, seconds: seconds() };
  }
  return writeOneByOne(batch, write, seconds);
}

async function writeOneByOne(batch: IngestItem[], write: Write, seconds: () => number): Promise<BatchOutcome> {
  let stored = 0;
  let written = 0;
  const rejected: { count: number; error: Error }[] = [];
  for (let i = 0; i < batch.length; i++) {
    try {
      written += (await write([batch[i]])).written;
      stored++;
    } catch (err) {
      if (isRetryable(err)) return { stored, written, rejected, retry: batch.slice(i), retryError: err as Error, seconds: seconds() };
      rejected.push({ count: 1, error: err as Error });
    }
  }
  return { stored, written, rejected, retry: [], retryError: null, seconds: seconds() };
}

import type { Db } from '../db';

// A probe that waits longer than this is failed: the orchestrator asking will not wait much longer.
const PROBE_TIMEOUT_MS = 3000;

/** True when the database answers a trivial query in time; the reason it did not is logged. */
export async function databaseAnswers(db: Db, log: (message: string, error: unknown) => void = console.error): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([db.client`select 1`, timeout]);
    return true;
  } catch (err) {
    log('readiness probe: the database does not answer', err);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The web app's one database pool, opened on first use from DATABASE_URL (which `npm start` always
 * sets, to the embedded server or a real one). Route handlers share it; it is the only module-level
 * state of the API.
 */
import { readEnv } from '../config/env';
import { connect, type Db } from '../db';

let current: { readonly url: string; readonly db: Db } | undefined;

// Enough for a few concurrent requests; the embedded server shares its 64 connections with the worker.
const POOL_SIZE = 8;

/**
 * The pool for the current DATABASE_URL. A different URL (tests give each database its own) closes
 * the old pool and opens a new one; profd itself never changes it while running.
 */
export function appDb(): Db {
  const url = process.env.DATABASE_URL;
  if (current && current.url === url) return current.db;
  const { databaseUrl } = readEnv({ DATABASE_URL: url });
  if (databaseUrl === undefined) {
    throw new Error('DATABASE_URL is not set: start profd with `npm start`, which sets it to the embedded or the configured database');
  }
  void current?.db.close();
  current = { url: databaseUrl, db: connect(databaseUrl, { max: POOL_SIZE }) };
  return current.db;
}

/** Closes the pool, for a process that is done with the API (tests, benchmarks). */
export async function closeAppDb(): Promise<void> {
  const closing = current;
  current = undefined;
  await closing?.db.close();
}

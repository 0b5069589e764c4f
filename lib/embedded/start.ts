import { join } from 'node:path';
import type { Env } from '../config/env';
import { migrate } from '../db';
import { startEmbeddedDatabase } from './server';

/** The database profd runs on, migrated and ready for its processes. */
export interface ServedDatabase {
  /** The URL profd's processes get as DATABASE_URL. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The database half of `npm start`: the server at DATABASE_URL, or else the embedded one on
 * PROFD_DATA_DIR, then migrations, before any other process connects (the embedded server cannot
 * serialise concurrent migrators). Partition maintenance is the worker's job.
 */
export async function startDatabase(env: Env, log: (line: string) => void): Promise<ServedDatabase> {
  const embedded = env.databaseUrl ? undefined : await startEmbeddedDatabase({ dataDir: env.dataDir, port: env.dbPort });
  const url = env.databaseUrl ?? embedded!.url;
  log(embedded ? `embedded database on ${url}, files in ${join(env.dataDir, 'pglite')}` : `database at ${redact(url)}`);
  try {
    await migrate(url);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  return { url, stop: async () => embedded?.stop() };
}

// Keeps a password in DATABASE_URL out of the log.
function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

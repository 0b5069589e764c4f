import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as runMigrations } from 'drizzle-orm/postgres-js/migrator';
import { withRetryableErrors } from './errors';

// Not `new URL('../../drizzle', import.meta.url)`: Next.js' bundler would try to bundle that folder
// into any route that imports lib/db, though only start-up code ever migrates.
const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 7_020_611;

/**
 * Brings the database at `url` up to the newest migration in drizzle/. Several processes may start at
 * once (web app, worker), so migrations run on one connection holding a session advisory lock: the
 * first applies them, the others wait and then find nothing to do. The embedded server has a single
 * backend session behind every connection, where the lock excludes nothing: there bin/start.js
 * migrates before it starts any other process.
 */
export async function migrate(url: string, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await withRetryableErrors('migrating the database', async () => {
      await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
      try {
        await runMigrations(drizzle(client), { migrationsFolder });
      } finally {
        await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
      }
    });
  } finally {
    await client.end({ timeout: 5 });
  }
}

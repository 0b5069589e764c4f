/**
 * Gives each test file real databases: a fresh database of its own on the Postgres server (created,
 * migrated, dropped afterwards) and a fresh in-memory PGlite served over the wire protocol, so every
 * database test runs against both. Without a reachable server the tests run on PGlite alone, and say so.
 * The server is PROFD_TEST_DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/postgres.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe } from 'vitest';
import { connect, migrate, type Db, type IngestItem } from '../../lib/db';
import { startEmbeddedDatabase } from '../../lib/embedded/server';
import type { Labels } from '../../lib/selector/matcher';

/** Which kind of server a test database lives on. */
export type DatabaseKind = 'postgres' | 'pglite';

/** A migrated, empty database for one test file. */
export interface TestDatabase {
  readonly kind: DatabaseKind;
  readonly url: string;
  readonly db: Db;
}

const SERVER_URL = process.env.PROFD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/pprof/', import.meta.url));

const serverUp = await canConnect(SERVER_URL);
if (!serverUp) console.warn(`no Postgres server at ${SERVER_URL}: running the database tests on PGlite alone`);

/** The database kinds this run tests against. */
export const databaseKinds: readonly DatabaseKind[] = serverUp ? ['postgres', 'pglite'] : ['pglite'];

/**
 * Registers `body`'s tests once per database kind, each inside `describe(kind)` with its own fresh
 * database. Call `get()` inside tests (or hooks), not while registering; `kind` is there to skip a
 * test that cannot apply to one kind.
 */
export function forEachDatabase(body: (get: () => TestDatabase, kind: DatabaseKind) => void): void {
  for (const kind of databaseKinds) {
    describe(kind, () => {
      let current: (TestDatabase & { dispose(): Promise<void> }) | undefined;
      beforeAll(async () => {
        current = await openTestDatabase(kind);
      });
      afterAll(async () => {
        await current?.dispose();
      });
      body(() => {
        if (!current) throw new Error('the test database is not open yet: call get() inside a test or hook');
        return current;
      }, kind);
    });
  }
}

/** Opens a fresh database of the given kind, migrated unless asked not to be; `dispose` closes and removes it. */
export async function openTestDatabase(
  kind: DatabaseKind,
  { migrated = true } = {},
): Promise<TestDatabase & { dispose(): Promise<void> }> {
  if (kind === 'pglite') {
    const server = await startEmbeddedDatabase({ dataDir: 'memory://' });
    if (migrated) await migrate(server.url);
    const db = connect(server.url, { max: 4 });
    return { kind, url: server.url, db, dispose: async () => { await db.close(); await server.stop(); } };
  }
  const name = `profd_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  await admin`create database ${admin(name)}`;
  const url = withDatabase(SERVER_URL, name);
  if (migrated) await migrate(url);
  const db = connect(url, { max: 4 });
  const dispose = async () => {
    await db.close();
    await admin`drop database if exists ${admin(name)} with (force)`;
    await admin.end();
  };
  return { kind, url, db, dispose };
}

/** An ingest item carrying the bytes of a file from ../shared/fixtures/pprof. */
export function fixtureItem(file: string, labels: Labels, timestampMs: number): IngestItem {
  return { labels, timestampMs, blob: readFileSync(FIXTURES + file) };
}

/** The bytes of a file from ../shared/fixtures/pprof. */
export function fixtureBytes(file: string): Buffer {
  return readFileSync(FIXTURES + file);
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function canConnect(url: string): Promise<boolean> {
  const probe = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

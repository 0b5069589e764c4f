import { createServer } from 'node:net';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { connect, isRetryable, migrate, RetryableDbError, selectSeries, writeProfiles } from '../../lib/db';
import { startEmbeddedDatabase } from '../../lib/embedded/server';
import { databaseKinds, fixtureItem, openTestDatabase } from '../helpers/db';

const item = fixtureItem('google-pprof__sample.cpu', { __name__: 'profile', job: 'faults' }, Date.UTC(2026, 10, 25));
const everything = { matchers: [], fromMs: 0, toMs: Date.UTC(2027, 0, 1) };

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connection loss', () => {
  it('to a port nobody listens on is a RetryableDbError', async () => {
    const db = connect(`postgres://postgres@127.0.0.1:${await closedPort()}/postgres`, { connectTimeoutSeconds: 2 });
    try {
      const err = await writeProfiles(db, [item]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryableDbError);
      expect((err as Error).message).toMatch(/writing profiles failed, the database is unavailable: .*ECONNREFUSED/);
      await expect(selectSeries(db, everything, 10)).rejects.toBeInstanceOf(RetryableDbError);
      await expect(migrate(`postgres://postgres@127.0.0.1:${await closedPort()}/postgres`)).rejects.toBeInstanceOf(RetryableDbError);
    } finally {
      await db.close();
    }
  });

  it('when the embedded server stops mid-run is a RetryableDbError', async () => {
    const server = await startEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(server.url);
    const db = connect(server.url, { max: 2, connectTimeoutSeconds: 2 });
    try {
      expect(await writeProfiles(db, [item])).toEqual({ written: 1, duplicates: 0 });
      await server.stop();
      const err = await writeProfiles(db, [{ ...item, timestampMs: item.timestampMs + 1000 }]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryableDbError);
      expect(isRetryable(err)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it.skipIf(!databaseKinds.includes('postgres'))('when the server terminates the backend is a RetryableDbError', async () => {
    const test = await openTestDatabase('postgres');
    const admin = postgres(test.url, { max: 1, onnotice: () => {} });
    try {
      const [{ pid }] = await test.db.client`select pg_backend_pid() as pid`;
      await admin`select pg_terminate_backend(${pid})`;
      const err = await selectSeries(test.db, everything, 10).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryableDbError);
    } finally {
      await admin.end();
      await test.dispose();
    }
  });
});

describe('isRetryable', () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });
  it.each([
    ['ECONNREFUSED', true],
    ['CONNECTION_CLOSED', true],
    ['CONNECT_TIMEOUT', true],
    ['57P01', true], // admin_shutdown
    ['08006', true], // connection_failure
    ['40001', true], // serialization_failure
    ['40P01', true], // deadlock_detected
    ['23505', false], // unique_violation
    ['42P01', false], // undefined_table
    ['P0001', false], // raise_exception
  ])('%s → %s', (code, retryable) => {
    expect(isRetryable(withCode(code))).toBe(retryable);
    expect(isRetryable(new Error('wrapped', { cause: withCode(code) }))).toBe(retryable);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../lib/config/env';
import { connect, listPartitions, migrate, sampleIndex, writeProfiles } from '../../lib/db';
import { lockDataDir } from '../../lib/embedded/lock';
import { startEmbeddedDatabase } from '../../lib/embedded/server';
import { startDatabase } from '../../lib/embedded/start';
import { databaseKinds, fixtureItem, openTestDatabase } from '../helpers/db';

const T0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'profd-embedded-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the embedded database', () => {
  it('keeps its data across a restart', async () => {
    const dataDir = tempDir();
    const first = await startEmbeddedDatabase({ dataDir });
    await migrate(first.url);
    const writer = connect(first.url, { max: 2 });
    await writeProfiles(writer, [fixtureItem('parca__fib.pb.gz', { __name__: 'profile', job: 'restart' }, T0)]);
    await writer.close();
    await first.stop();

    const second = await startEmbeddedDatabase({ dataDir });
    try {
      await migrate(second.url);
      const reader = connect(second.url, { max: 2 });
      const { series } = await sampleIndex(reader, { matchers: [], fromMs: 0, toMs: T0 + 1 }, 10);
      await reader.close();
      expect(series.map((s) => s.series.labels)).toEqual([{ __name__: 'profile', job: 'restart' }]);
      expect(series[0].samples.map((s) => s.timestampMs)).toEqual([T0]);
    } finally {
      await second.stop();
    }
  });

  it('refuses a data directory another live process holds, and takes over a dead one\'s lock', async () => {
    const dataDir = tempDir();
    const release = lockDataDir(dataDir);
    await expect(startEmbeddedDatabase({ dataDir })).rejects.toThrow(
      `the data directory ${dataDir} is in use by process ${process.pid} (another profd?); stop it or set PROFD_DATA_DIR to another directory`,
    );
    release();
    // A pid that cannot be running: above Linux's pid_max limit.
    writeFileSync(join(dataDir, 'profd.lock'), '4194305');
    const again = lockDataDir(dataDir);
    expect(readFileSync(join(dataDir, 'profd.lock'), 'utf8')).toBe(String(process.pid));
    again();
  });

  it('says so when its port is taken', async () => {
    const first = await startEmbeddedDatabase({ dataDir: 'memory://' });
    const port = Number(new URL(first.url).port);
    try {
      await expect(startEmbeddedDatabase({ dataDir: 'memory://', port })).rejects.toThrow(
        `cannot serve the embedded database on 127.0.0.1:${port}: the port is in use`,
      );
    } finally {
      await first.stop();
    }
  });

  it('serves concurrent clients without mixing their queries or transactions', async () => {
    const server = await startEmbeddedDatabase({ dataDir: 'memory://' });
    const pools = [0, 1, 2, 3].map(() => connect(server.url, { max: 3 }));
    try {
      await pools[0].client`create table counters (pool int primary key, n int not null)`;
      await Promise.all(
        pools.map(async (pool, p) => {
          await pool.client`insert into counters values (${p}, 0)`;
          for (let i = 0; i < 25; i++) {
            // Different statement shapes per pool, so a mixed-up Parse/Bind would fail or answer wrongly.
            const [row] = await pool.client`select ${p}::int as pool, ${`q${i}`}::text as tag, ${i * p}::bigint as product`;
            expect(row).toEqual({ pool: p, tag: `q${i}`, product: String(i * p) });
            await pool.client.begin(async (tx) => {
              const [{ n }] = await tx`select n from counters where pool = ${p}`;
              await tx`update counters set n = ${n + 1} where pool = ${p}`;
            });
          }
        }),
      );
      const rows = await pools[0].client`select pool, n from counters order by pool`;
      expect(rows.map((r) => r.n)).toEqual([25, 25, 25, 25]);
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
      await server.stop();
    }
  });
});

describe('startDatabase (the database half of npm start)', () => {
  it('without DATABASE_URL serves the embedded database on the data directory, migrated', async () => {
    const dataDir = tempDir();
    const lines: string[] = [];
    const served = await startDatabase(readEnv({ PROFD_DATA_DIR: dataDir }), (line) => lines.push(line));
    const db = connect(served.url, { max: 1 });
    try {
      expect(served.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(await writeProfiles(db, [fixtureItem('parca__fib.pb.gz', { __name__: 'profile', job: 'start' }, T0)])).toEqual({ written: 1, duplicates: 0 });
      expect(lines[0]).toBe(`embedded database on ${served.url}, files in ${join(dataDir, 'pglite')}`);
    } finally {
      await db.close();
      await served.stop();
    }
  });

  it.skipIf(!databaseKinds.includes('postgres'))('with DATABASE_URL migrates that server, keeping its password out of the log', async () => {
    const test = await openTestDatabase('postgres', { migrated: false });
    const url = new URL(test.url);
    url.password = 'hunter2';
    const lines: string[] = [];
    const served = await startDatabase(readEnv({ DATABASE_URL: url.toString() }), (line) => lines.push(line));
    try {
      expect(served.url).toBe(url.toString());
      expect(lines[0]).toBe(`database at ${url.toString().replace('hunter2', '***')}`);
      expect(await listPartitions(test.db)).toEqual([]);
    } finally {
      await served.stop();
      await test.dispose();
    }
  });
});

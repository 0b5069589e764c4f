import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { migrate, type Db } from '../../lib/db';
import { databaseKinds, forEachDatabase, openTestDatabase } from '../helpers/db';

const journal = JSON.parse(readFileSync(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] };
const applied = async (db: Db) =>
  (await db.orm.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0].n;

describe('migrations', () => {
  forEachDatabase((get) => {
    it('create the schema from an empty database, applying every migration in drizzle/', async () => {
      const { db } = get();
      const tables = await db.orm.execute<{ name: string; kind: string }>(
        sql`select relname::text as name, relkind::text as kind from pg_class
            where relnamespace = 'public'::regnamespace and relname in ('series', 'samples')
            order by 1`,
      );
      // 'p' is a partitioned table, 'r' a plain one.
      expect(tables.map((t) => `${t.name}:${t.kind}`)).toEqual(['samples:p', 'series:r']);
      expect(await applied(db)).toBe(journal.entries.length);
    });

    it('store blobs out of line without recompressing them', async () => {
      const { db } = get();
      const [column] = await db.orm.execute<{ storage: string }>(
        sql`select attstorage::text as storage from pg_attribute where attrelid = 'samples'::regclass and attname = 'blob'`,
      );
      expect(column.storage).toBe('e');
    });

    it('are recorded, so running them again changes nothing', async () => {
      const { db, url } = get();
      await migrate(url);
      expect(await applied(db)).toBe(journal.entries.length);
    });
  });

  // PGlite has one backend session behind all its connections, so advisory locks cannot exclude
  // there; on it bin/start.js migrates before any other process starts.
  it.skipIf(!databaseKinds.includes('postgres'))('run once when several processes migrate an empty database together', async () => {
    const empty = await openTestDatabase('postgres', { migrated: false });
    try {
      await Promise.all([migrate(empty.url), migrate(empty.url), migrate(empty.url)]);
      expect(await applied(empty.db)).toBe(journal.entries.length);
    } finally {
      await empty.dispose();
    }
  });
});

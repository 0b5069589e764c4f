import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, writeProfiles, type Db } from '../../lib/db';
import { IngestQueue, type IngestEvent } from '../../lib/ingest-queue';
import { decodeProfile, totals } from '../../lib/pprof';
import { summarizeProfile } from '../../lib/pprof/summary';
import type { ScrapedProfile } from '../../lib/scrape/sink';
import { fixtureBytes, forEachDatabase } from '../helpers/db';
import { startOutageProxy, type OutageProxy } from '../helpers/outage-proxy';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const BLOB = fixtureBytes('parca__fib.pb.gz');
const PROFILE = decodeProfile(BLOB);

/** A scraped profile of job `job`, the n-th of its series (one second apart). */
function scraped(job: string, n: number, labels: Record<string, string> = {}): ScrapedProfile {
  return { labels: { __name__: 'profile', job, ...labels }, timestampMs: T0 + n * 1000, blob: BLOB, summary: summarizeProfile(BLOB) };
}

async function storedTimestamps(db: Db, job: string): Promise<number[]> {
  const rows = await db.orm.execute<{ ms: number }>(
    sql`select (extract(epoch from ts) * 1000)::float8 as ms from samples join series on series.id = series_id where labels->>'job' = ${job} order by ts`,
  );
  return rows.map((r) => (r.ms - T0) / 1000);
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the ingest queue against a real database', () => {
  forEachDatabase((get) => {
    let proxy: OutageProxy;
    let db: Db;
    beforeAll(async () => {
      proxy = await startOutageProxy(get().url);
      db = connect(proxy.url, { max: 2, connectTimeoutSeconds: 2 });
    });
    afterAll(async () => {
      await db.close();
      await proxy.close();
    });

    function queue(capacity: number, events: IngestEvent[] = []) {
      return new IngestQueue({ capacity, maxBatch: 10, flushDelayMs: 20, retryMs: { min: 50, max: 200 }, write: (batch) => writeProfiles(db, batch), onEvent: (e) => events.push(e) });
    }

    it('writes profiles in batches with their labels and totals', async () => {
      const events: IngestEvent[] = [];
      const q = queue(100, events);
      for (let n = 0; n < 25; n++) await q.write(scraped('batches', n, { instance: 'a:1' }));
      expect(await q.close(Date.now() + 5000)).toBe(0);
      expect(await storedTimestamps(get().db, 'batches')).toEqual([...Array(25).keys()]);
      const [row] = await get().db.orm.execute<{ labels: Record<string, string>; totals: number[] }>(sql`select labels, totals from samples join series on series.id = series_id where labels->>'job' = 'batches' limit 1`);
      expect(row).toEqual({ labels: { __name__: 'profile', job: 'batches', instance: 'a:1' }, totals: totals(PROFILE) });
      expect(events.filter((e) => e.type === 'written').map((e) => e.profiles)).toEqual([10, 10, 5]);
    });

    it('stores the same row as writing the blob alone, though it queues only the summary of the profile', async () => {
      const blob = fixtureBytes('parca__alloc_objects.pb.gz');
      const profile = decodeProfile(blob);
      const q = queue(10);
      await q.write({ labels: { __name__: 'heap', job: 'summary-queued' }, timestampMs: T0, blob, summary: summarizeProfile(blob) });
      await q.close(Date.now() + 5000);
      await writeProfiles(get().db, [{ labels: { __name__: 'heap', job: 'summary-direct' }, timestampMs: T0, blob }]);
      const rows = await get().db.orm.execute(sql`select labels->>'job' as job, sample_types, default_sample_type, totals, duration_nanos, period_type, period, blob
        from samples join series on series.id = series_id where labels->>'job' like 'summary-%' order by job`);
      expect(rows).toHaveLength(2);
      expect({ ...rows[1], job: '' }).toEqual({ ...rows[0], job: '' });
      expect(rows[0].totals).toEqual(totals(profile));
    });

    it('keeps every profile through a database outage within the queue bound', async () => {
      const events: IngestEvent[] = [];
      const q = queue(50, events);
      await q.write(scraped('outage', 0));
      await until('the first profile is stored', async () => (await storedTimestamps(get().db, 'outage')).length === 1);
      await proxy.down();
      for (let n = 1; n <= 40; n++) await q.write(scraped('outage', n));
      await until('a retry is reported', () => events.some((e) => e.type === 'retrying'));
      expect(q.depth).toBe(40);
      await proxy.up();
      await until('the queue drains', () => q.depth === 0);
      await q.close(Date.now() + 5000);
      expect(await storedTimestamps(get().db, 'outage')).toEqual([...Array(41).keys()]);
      expect(events.filter((e) => e.type === 'dropped')).toEqual([]);
    });

    it('drops the oldest profiles once the queue is full, and counts them', async () => {
      const events: IngestEvent[] = [];
      const q = queue(10, events);
      await proxy.down();
      for (let n = 0; n < 25; n++) await q.write(scraped('overflow', n));
      await until('the failed batch is back in the queue', () => events.some((e) => e.type === 'retrying'));
      expect(q.depth).toBe(10);
      await proxy.up();
      await q.close(Date.now() + 5000);
      expect(await storedTimestamps(get().db, 'overflow')).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
      const dropped = events.flatMap((e) => (e.type === 'dropped' ? [[e.reason, e.profiles]] : []));
      expect(dropped.reduce((sum, [, n]) => sum + Number(n), 0)).toBe(15);
      expect(new Set(dropped.map(([reason]) => reason))).toEqual(new Set(['queue_full']));
    });

    it('stores the rest of a batch when the database refuses one profile in it', async () => {
      const events: IngestEvent[] = [];
      const q = queue(100, events);
      for (let n = 0; n < 5; n++) await q.write(scraped('refused', n, n === 2 ? { 'bad-name': 'x' } : {}));
      await q.close(Date.now() + 5000);
      expect(await storedTimestamps(get().db, 'refused')).toEqual([0, 1, 3, 4]);
      const rejected = events.filter((e) => e.type === 'dropped');
      expect(rejected).toEqual([{ type: 'dropped', reason: 'rejected', profiles: 1, error: expect.objectContaining({ code: 'invalid_label_name', message: expect.stringContaining('"bad-name"') }) }]);
    });

    it('gives up at the shutdown deadline while the database is down, reporting what was lost', async () => {
      const events: IngestEvent[] = [];
      const q = queue(100, events);
      await proxy.down();
      for (let n = 0; n < 3; n++) await q.write(scraped('deadline', n));
      const started = Date.now();
      expect(await q.close(Date.now() + 600)).toBe(3);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(events.at(-1)).toEqual({ type: 'dropped', reason: 'shutdown', profiles: 3 });
      await expect(q.write(scraped('deadline', 9))).rejects.toThrow('the worker is shutting down and no longer accepts profiles');
      await proxy.up();
    });
  });
});

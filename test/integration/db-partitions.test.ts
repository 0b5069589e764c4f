import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { connect, listPartitions, maintain, retentionCutoffDay, writeProfiles } from '../../lib/db';
import { fixtureItem, forEachDatabase } from '../helpers/db';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const item = (job: string, timestampMs: number, extra: Record<string, string> = {}) =>
  fixtureItem('google-pprof__sample.cpu', { __name__: 'profile', job, ...extra }, timestampMs);

describe('retentionCutoffDay', () => {
  it.each([
    ['2026-11-25T10:00:00Z', 15 * DAY, '2026-11-10'],
    ['2026-11-25T00:00:00Z', DAY, '2026-11-24'],
    ['2026-11-24T23:59:59.999Z', DAY, '2026-11-23'],
    ['2026-11-25T06:00:00Z', DAY / 2, '2026-11-24'],
  ])('at %s with retention %d ms keeps days from %s on', (now, retention, day) => {
    expect(retentionCutoffDay(at(now), retention)).toBe(day);
  });
});

describe('day partitions', () => {
  forEachDatabase((get) => {
    const partitionOf = async (job: string) =>
      get().db.orm.execute<{ ts: string; part: string }>(
        sql`select to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') as ts, samples.tableoid::regclass::text as part
            from samples join series on series.id = series_id where labels->>'job' = ${job} order by ts`,
      );

    it('route a sample at a day boundary to the right day, whatever the session time zone', async () => {
      const { db } = get();
      // Created by a session far from UTC, to prove the bounds are UTC midnights.
      await db.orm.transaction(async (tx) => {
        await tx.execute(sql`set local timezone = 'Pacific/Kiritimati'`);
        await tx.execute(sql`select profd_ensure_partitions(array['2026-03-01', '2026-03-02']::date[])`);
      });
      await writeProfiles(db, [
        item('boundary', at('2026-03-01T23:59:59.999Z')),
        item('boundary', at('2026-03-02T00:00:00.000Z')),
        item('boundary', at('2026-03-01T00:00:00.000Z')),
      ]);
      expect(await partitionOf('boundary')).toEqual([
        { ts: '2026-03-01T00:00:00.000', part: 'samples_20260301' },
        { ts: '2026-03-01T23:59:59.999', part: 'samples_20260301' },
        { ts: '2026-03-02T00:00:00.000', part: 'samples_20260302' },
      ]);
    });

    it('are created on demand for old and future timestamps', async () => {
      const { db } = get();
      const old = at('2019-06-15T08:00:00Z');
      const future = at('2031-01-31T23:00:00Z');
      expect(await writeProfiles(db, [item('on-demand', old), item('on-demand', future)])).toEqual({ written: 2, duplicates: 0 });
      expect(await partitionOf('on-demand')).toEqual([
        { ts: '2019-06-15T08:00:00.000', part: 'samples_20190615' },
        { ts: '2031-01-31T23:00:00.000', part: 'samples_20310131' },
      ]);
    });

    it('are created once when writers on several connections need the same new day together', async () => {
      const { db, url } = get();
      const pools = [0, 1, 2, 3].map(() => connect(url, { max: 1 }));
      const day = at('2032-02-29T12:00:00Z');
      try {
        const results = await Promise.all(pools.map((pool, i) => writeProfiles(pool, [item('race', day, { writer: String(i) })])));
        expect(results.every((r) => r.written === 1)).toBe(true);
      } finally {
        await Promise.all(pools.map((pool) => pool.close()));
      }
      const parts = await listPartitions(db);
      expect(parts.filter((p) => p === 'samples_20320229')).toHaveLength(1);
      expect(await partitionOf('race')).toHaveLength(4);
    });

    it('past the retention period are dropped, exactly those, with the series left empty', async () => {
      const { db } = get();
      const now = at('2030-07-20T09:30:00Z');
      const retention = 15 * DAY;
      // The cutoff day is 2030-07-05: everything before it has expired.
      await writeProfiles(db, [
        item('expired', at('2030-07-01T12:00:00Z')),
        item('expired', at('2030-07-04T23:59:59.999Z')),
        item('kept', at('2030-07-04T23:59:59.999Z')),
        item('kept', at('2030-07-05T00:00:00.000Z')),
        item('kept', at('2030-07-19T10:00:00Z')),
      ]);
      const before = await listPartitions(db);
      const report = await maintain(db, { retentionMs: retention, nowMs: now, daysAhead: 2 });

      const after = await listPartitions(db);
      const expired = before.filter((p) => p < 'samples_20300705');
      expect(report.dropped).toEqual(expired);
      expect(expired).toEqual(expect.arrayContaining(['samples_20190615', 'samples_20300701', 'samples_20300704']));
      expect(after).toEqual(expect.arrayContaining(['samples_20300705', 'samples_20300719', 'samples_20300720', 'samples_20300722']));
      expect(after.every((p) => p >= 'samples_20300705')).toBe(true);
      expect(report.created).toEqual(['samples_20300720', 'samples_20300721', 'samples_20300722']);
      expect(await partitionOf('expired')).toEqual([]);
      expect((await partitionOf('kept')).map((r) => r.ts)).toEqual(['2030-07-05T00:00:00.000', '2030-07-19T10:00:00.000']);
      const [{ n }] = await db.orm.execute<{ n: number }>(sql`select count(*)::int as n from series where labels->>'job' = 'expired'`);
      expect(n).toBe(0);
      expect(report.seriesDeleted).toBeGreaterThanOrEqual(1);
    });

    it('maintenance run twice does nothing the second time', async () => {
      const { db } = get();
      const options = { retentionMs: 15 * DAY, nowMs: at('2030-07-20T09:30:00Z') };
      await maintain(db, options);
      expect(await maintain(db, options)).toEqual({ created: [], dropped: [], seriesDeleted: 0 });
    });
  });
});

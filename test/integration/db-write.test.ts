import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { isStorageInputError, sampleIndex, writeProfiles, type IngestItem } from '../../lib/db';
import { decodeProfile, encodeProfileRaw, totals } from '../../lib/pprof';
import { fixtureBytes, fixtureItem, forEachDatabase } from '../helpers/db';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

/** go tool pprof's per-type sums, from the last line of a fixture's .expected.txt. */
function expectedSums(file: string): number[] {
  const text = readFileSync(new URL(`../../../shared/fixtures/pprof/${file}.expected.txt`, import.meta.url), 'utf8');
  const line = /raw signed sum of Sample\.value per index: (.*)/.exec(text)![1];
  return [...line.matchAll(/\[\d+\] (-?\d+)/g)].map((m) => Number(m[1]));
}

describe('writeProfiles', () => {
  forEachDatabase((get, kind) => {
    const everything = { matchers: [], fromMs: 0, toMs: T0 + 86_400_000 };
    const count = async (job: string) => {
      const [row] = await get().db.orm.execute<{ series: number; samples: number }>(
        sql`select (select count(*)::int from series where labels->>'job' = ${job}) as series,
                   (select count(*)::int from samples join series on series.id = samples.series_id
                    where labels->>'job' = ${job}) as samples`,
      );
      return row;
    };

    it.each([
      ['parca__alloc_objects.pb.gz', 'alloc_space/bytes'],
      ['parca__fgprof.pb.gz', 'time/nanoseconds'],
      ['dd-trace-go__heap.pprof', 'alloc_space/bytes'],
      ['google-pprof__sample.cpu', 'cpu/nanoseconds'],
      ['parca__profile-with-labels.pb.gz', 'samples/count'],
    ])('stores the totals lib/pprof and go tool pprof compute for %s, and its default type %s', async (file, defaultType) => {
      const { db } = get();
      const job = `totals-${file}`;
      await writeProfiles(db, [fixtureItem(file, { __name__: 'profile', job }, T0)]);
      const { series } = await sampleIndex(db, { ...everything, matchers: [{ name: 'job', type: '=', value: job }] }, 10);
      const [stored] = series[0].samples;
      const profile = decodeProfile(fixtureBytes(file));
      expect(stored.totals).toEqual(totals(profile));
      expect(stored.totals).toEqual(expectedSums(file));
      expect(stored.defaultSampleType).toBe(defaultType);
      expect(stored.sampleTypes).toHaveLength(profile.sampleTypes.length);
      expect(stored.durationNanos).toBe(profile.durationNanos);
      expect(stored.period).toBe(profile.period);
    });

    it('keeps gzip blobs byte for byte and gzips raw ones', async () => {
      const { db } = get();
      const gz = fixtureBytes('parca__fib.pb.gz');
      const raw = fixtureBytes('dd-trace-go__heap.pprof');
      await writeProfiles(db, [
        { labels: { __name__: 'profile', job: 'blobs' }, timestampMs: T0, blob: gz },
        { labels: { __name__: 'heap', job: 'blobs' }, timestampMs: T0, blob: raw },
      ]);
      const rows = await db.orm.execute<{ name: string; blob: Buffer; size: number }>(
        sql`select labels->>'__name__' as name, blob, blob_size as size from samples join series on series.id = series_id
            where labels->>'job' = 'blobs' order by 1`,
      );
      expect(rows.map((r) => r.name)).toEqual(['heap', 'profile']);
      expect(gunzipSync(rows[0].blob).equals(raw)).toBe(true);
      expect(rows[0].size).toBe(rows[0].blob.length);
      expect(rows[1].blob.equals(gz)).toBe(true);
    });

    it('uses an already decoded profile instead of decoding again', async () => {
      const { db } = get();
      const profile = decodeProfile(fixtureBytes('parca__fib.pb.gz'));
      // The blob says nothing useful on its own; only the given profile can supply the totals.
      const blob = encodeProfileRaw(profile);
      await writeProfiles(db, [{ labels: { __name__: 'profile', job: 'decoded' }, timestampMs: T0, blob, profile }]);
      const { series } = await sampleIndex(db, { ...everything, matchers: [{ name: 'job', type: '=', value: 'decoded' }] }, 10);
      expect(series[0].samples[0].totals).toEqual(totals(profile));
    });

    it('puts equal label sets in one series whatever their order, widening first and last seen', async () => {
      const { db } = get();
      const item = (labels: Record<string, string>, at: number) => fixtureItem('google-pprof__sample.cpu', labels, at);
      await writeProfiles(db, [item({ __name__: 'profile', job: 'order', zone: 'a' }, T0)]);
      await writeProfiles(db, [item({ zone: 'a', job: 'order', __name__: 'profile', empty: '' }, T0 - 60_000)]);
      await writeProfiles(db, [item({ job: 'order', __name__: 'profile', zone: 'a' }, T0 + 60_000)]);
      const { series } = await sampleIndex(db, { ...everything, matchers: [{ name: 'job', type: '=', value: 'order' }] }, 10);
      expect(series).toHaveLength(1);
      expect(series[0].series.labels).toEqual({ __name__: 'profile', job: 'order', zone: 'a' });
      expect(series[0].series.firstSeenMs).toBe(T0 - 60_000);
      expect(series[0].series.lastSeenMs).toBe(T0 + 60_000);
      expect(series[0].samples.map((s) => s.timestampMs)).toEqual([T0 - 60_000, T0, T0 + 60_000]);
    });

    it('skips a profile already stored for the same series and instant, so retries cannot duplicate', async () => {
      const { db } = get();
      const batch = [0, 1, 2].map((i) => fixtureItem('google-pprof__sample.cpu', { __name__: 'profile', job: 'retry' }, T0 + i * 1000));
      expect(await writeProfiles(db, batch)).toEqual({ written: 3, duplicates: 0 });
      expect(await writeProfiles(db, [...batch, batch[0]])).toEqual({ written: 0, duplicates: 4 });
      expect(await count('retry')).toEqual({ series: 1, samples: 3 });
    });

    it('stores a profile given twice in one batch once', async () => {
      const { db } = get();
      const item = fixtureItem('google-pprof__sample.cpu', { __name__: 'profile', job: 'twice' }, T0);
      expect(await writeProfiles(db, [item, item])).toEqual({ written: 1, duplicates: 1 });
      expect(await count('twice')).toEqual({ series: 1, samples: 1 });
    });

    // Postgres gets the samples by COPY, which has no ON CONFLICT; PGlite by INSERT, so this is Postgres' alone.
    if (kind === 'postgres') it('still stores a batch whose COPY the server refuses because another writer stored a profile meanwhile', async () => {
      const { db } = get();
      await db.orm.execute(sql`create sequence refusals`);
      await db.orm.execute(sql`create function refuse_once() returns trigger language plpgsql as $$
        begin if nextval('refusals') = 1 then raise unique_violation using message = 'stored meanwhile'; end if; return new; end $$`);
      await db.orm.execute(sql`create trigger refuse_once before insert on samples for each row execute function refuse_once()`);
      try {
        const batch = [0, 1, 2].map((i) => fixtureItem('parca__fib.pb.gz', { __name__: 'profile', job: 'refused' }, T0 + i * 1000));
        expect(await writeProfiles(db, batch)).toEqual({ written: 3, duplicates: 0 });
        expect(await count('refused')).toEqual({ series: 1, samples: 3 });
      } finally {
        await db.orm.execute(sql`drop trigger refuse_once on samples`);
      }
    });

    const good = (job: string): IngestItem => fixtureItem('google-pprof__sample.cpu', { __name__: 'profile', job }, T0);
    it.each<[string, Partial<IngestItem>, string, RegExp]>([
      ['a label name starting with a digit', { labels: { __name__: 'heap', '1job': 'x' } }, 'invalid_label_name', /profile 2 of 2: label name "1job" is not valid/],
      ['a label name with a dash', { labels: { __name__: 'heap', 'my-job': 'x' } }, 'invalid_label_name', /"my-job"/],
      ['a reserved label name', { labels: { __name__: 'heap', __address__: 'h:1' } }, 'reserved_label_name', /"__address__" is reserved/],
      ['an empty label set', { labels: {} }, 'empty_labels', /profile 2 of 2: the label set is empty/],
      ['a label set of empty values', { labels: { __name__: '', job: '' } }, 'empty_labels', /empty/],
      ['no profile type', { labels: { job: 'x' } }, 'missing_profile_type', /has no __name__/],
      ['a bad profile type', { labels: { __name__: 'heap profile' } }, 'invalid_label_value', /profile type __name__="heap profile" is invalid/],
      ['a label name over 128 characters', { labels: { __name__: 'heap', ['n'.repeat(129)]: 'x' } }, 'invalid_label_name', /longer than 128 characters/],
      ['a value with a lone surrogate', { labels: { __name__: 'heap', job: 'a\ud800' } }, 'invalid_label_value', /the value of label "job" is not valid Unicode/],
      ['a value with a NUL', { labels: { __name__: 'heap', job: 'a\0' } }, 'invalid_label_value', /the value of label "job" contains a NUL/],
      ['a value over 1024 bytes', { labels: { __name__: 'heap', job: 'é'.repeat(513) } }, 'invalid_label_value', /the value of label "job" is 1026 bytes long; the limit is 1024/],
      ['a blob that is not pprof', { blob: Buffer.from('<html>502 Bad Gateway</html>') }, 'invalid_profile', /profile 2 of 2 \{__name__="profile", job="bad"\}: not gzip or pprof/],
      ['an empty blob', { blob: Buffer.alloc(0) }, 'invalid_profile', /empty input/],
      ['a blob over the limit', { blob: Buffer.alloc(5000, 1) }, 'profile_too_large', /the profile is 5000 bytes, over the limit of 4096/],
      ['a negative timestamp', { timestampMs: -1 }, 'invalid_timestamp', /timestampMs/],
      ['a fractional timestamp', { timestampMs: T0 + 0.5 }, 'invalid_timestamp', /timestampMs/],
    ])('refuses %s, naming it, and stores nothing of the batch', async (_, change, code, message) => {
      const { db } = get();
      const bad = { ...good('bad'), ...change };
      const err = await writeProfiles(db, [good('bad'), bad], { maxProfileBytes: 4096 }).catch((e: unknown) => e);
      expect(isStorageInputError(err) && err.code).toBe(code);
      expect((err as Error).message).toMatch(message);
      expect(await count('bad')).toEqual({ series: 0, samples: 0 });
    });

    it('rolls a batch back whole when the database fails part way through', async () => {
      const { db } = get();
      await db.orm.execute(sql`create function fail_on_marker() returns trigger language plpgsql as $$
        begin raise exception 'injected failure'; end $$`);
      await db.orm.execute(sql`create trigger fail_on_marker before insert on series for each row
        when (new.labels->>'marker' = 'fail') execute function fail_on_marker()`);
      const batch = [good('rollback'), fixtureItem('parca__fib.pb.gz', { __name__: 'profile', job: 'rollback', marker: 'fail' }, T0)];
      await expect(writeProfiles(db, batch)).rejects.toThrow('injected failure');
      expect(await count('rollback')).toEqual({ series: 0, samples: 0 });
      await db.orm.execute(sql`drop trigger fail_on_marker on series`);
    });
  });
});

import { isDeepStrictEqual } from 'node:util';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  isStorageInputError,
  labelNames,
  labelValues,
  readProfiles,
  sampleIndex,
  sampleTotals,
  sampleTypesAt,
  selectSeries,
  writeProfiles,
  type SeriesQuery,
} from '../../lib/db';
import { toPostgresRegex } from '../../lib/db/regex';
import type { LabelMatcher, MatchType } from '../../lib/selector/matcher';
import { compileLabelRegex } from '../../lib/selector/regex';
import { fixtureBytes, fixtureItem, forEachDatabase } from '../helpers/db';

const T0 = Date.UTC(2026, 10, 24, 15, 0, 0);
const HOUR = 3_600_000;

const SERIES: Record<string, Record<string, string>> = {
  A: { __name__: 'heap', job: 'api', instance: 'a:1', zone: 'eu' },
  B: { __name__: 'heap', job: 'api', instance: 'b:1' },
  C: { __name__: 'profile', job: 'db', instance: 'c:1', zone: 'us' },
  D: { __name__: 'goroutine', job: 'api-canary', instance: 'a:1', zone: 'eu' },
  E: { __name__: 'heap', job: 'old', instance: 'a:1', zone: 'Ünïcode' },
};
const letterOf = (labels: Record<string, string>) => Object.keys(SERIES).find((k) => isDeepStrictEqual(SERIES[k], labels));
const m = (name: string, type: MatchType, value: string): LabelMatcher => ({ name, type, value });
const inRange = (matchers: LabelMatcher[]): SeriesQuery => ({ matchers, fromMs: T0 - HOUR, toMs: T0 + HOUR });

describe('queries', () => {
  forEachDatabase((get) => {
    beforeAll(async () => {
      const { db } = get();
      // A–D have a profile a minute for three minutes around T0; E only ten days earlier.
      const items = ['A', 'B', 'C', 'D'].flatMap((k) =>
        [0, 1, 2].map((i) => fixtureItem('google-pprof__sample.cpu', SERIES[k], T0 + i * 60_000)),
      );
      items.push(fixtureItem('google-pprof__sample.cpu', SERIES.E, T0 - 240 * HOUR));
      await writeProfiles(db, items);
    });

    it.each<[string, LabelMatcher[], string]>([
      ['= on a value', [m('job', '=', 'api')], 'AB'],
      ['=, never a prefix', [m('job', '=', 'ap')], ''],
      ['!= includes other values', [m('job', '!=', 'api')], 'CD'],
      ['=~ is fully anchored', [m('job', '=~', 'api.*')], 'ABD'],
      ['=~ does not match inside a value', [m('job', '=~', 'pi')], ''],
      ['!~ with alternatives', [m('job', '!~', 'api|db')], 'D'],
      ['="" matches a missing label only', [m('zone', '=', '')], 'B'],
      ['!="" matches a present label only', [m('zone', '!=', '')], 'ACD'],
      ['=~ matching "" includes a missing label', [m('zone', '=~', 'eu|')], 'ABD'],
      ['!~ includes a missing label', [m('zone', '!~', 'eu')], 'BC'],
      ['!= on an unknown label matches everything', [m('team', '!=', 'x')], 'ABCD'],
      ['= on an unknown label matches nothing', [m('team', '=', 'x')], ''],
      ['the profile type is __name__', [m('__name__', '=', 'heap')], 'AB'],
      ['(?i) makes a regex case-insensitive', [m('job', '=~', '(?i)API')], 'AB'],
      ['. in a regex matches any character', [m('instance', '=~', 'a.1')], 'AD'],
      ['\\b is a word boundary as in RE2', [m('job', '=~', 'api\\b.*')], 'ABD'],
      ['several matchers all hold', [m('__name__', '=', 'heap'), m('job', '=', 'api'), m('zone', '=', 'eu')], 'A'],
      ['mixed kinds', [m('instance', '=~', 'a:.*'), m('__name__', '!=', 'heap')], 'D'],
      ['no matchers select every series in range', [], 'ABCD'],
    ])('selectSeries: %s', async (_, matchers, want) => {
      const found = await selectSeries(get().db, inRange(matchers), 100);
      expect(found.map((s) => letterOf(s.labels)).sort().join('')).toBe(want);
    });

    it('selectSeries honours the time range and the limit', async () => {
      const { db } = get();
      const all = { matchers: [], fromMs: 0, toMs: T0 + HOUR };
      expect((await selectSeries(db, all, 100)).map((s) => letterOf(s.labels)).sort().join('')).toBe('ABCDE');
      expect(await selectSeries(db, { matchers: [], fromMs: T0 + 3 * 60_000, toMs: T0 + HOUR }, 100)).toEqual([]);
      expect(await selectSeries(db, all, 2)).toHaveLength(2);
      const [a] = await selectSeries(db, inRange([m('zone', '=', 'eu'), m('job', '=', 'api')]), 10);
      expect([a.firstSeenMs, a.lastSeenMs]).toEqual([T0, T0 + 120_000]);
    });

    it('labelNames lists the names of the matching series in range', async () => {
      const { db } = get();
      expect(await labelNames(db, inRange([]))).toEqual(['__name__', 'instance', 'job', 'zone']);
      expect(await labelNames(db, inRange([m('zone', '=', '')]))).toEqual(['__name__', 'instance', 'job']);
    });

    it('labelValues lists one label\'s values in code-point order', async () => {
      const { db } = get();
      expect(await labelValues(db, 'job', inRange([]))).toEqual(['api', 'api-canary', 'db']);
      expect(await labelValues(db, 'job', inRange([m('__name__', '=', 'heap')]))).toEqual(['api']);
      expect(await labelValues(db, 'zone', { matchers: [], fromMs: 0, toMs: T0 })).toEqual(['eu', 'us', 'Ünïcode']);
      expect(await labelValues(db, 'team', inRange([]))).toEqual([]);
    });

    it('sampleIndex gives each series its samples and totals, oldest first, without blobs', async () => {
      const { db } = get();
      const { series, truncated } = await sampleIndex(db, inRange([m('job', '=', 'api')]), 100);
      expect(truncated).toBe(false);
      const a = series.find((s) => letterOf(s.series.labels) === 'A')!;
      expect(series.map((s) => letterOf(s.series.labels)).sort()).toEqual(['A', 'B']);
      expect(a.samples.map((s) => s.timestampMs)).toEqual([T0, T0 + 60_000, T0 + 120_000]);
      expect(a.samples[0]).toMatchObject({
        sampleTypes: ['samples/count', 'cpu/nanoseconds'],
        defaultSampleType: 'cpu/nanoseconds',
        totals: [176, 1760000000],
        blobSize: fixtureBytes('google-pprof__sample.cpu').length,
      });
    });

    it('sampleIndex keeps the oldest samples up to the limit and says it cut', async () => {
      const { db } = get();
      const { series, truncated } = await sampleIndex(db, inRange([m('job', '=', 'api')]), 2);
      expect(truncated).toBe(true);
      const kept = series.flatMap((s) => s.samples.map((x) => `${letterOf(s.series.labels)}@${(x.timestampMs - T0) / 60_000}`));
      expect(kept.sort()).toEqual(['A@0', 'B@0']);
    });

    it.each<[string, string | undefined, string | null, number | null]>([
      ["each profile's default type", undefined, 'cpu/nanoseconds', 1760000000],
      ['a type name', 'samples', 'samples/count', 176],
      ['type/unit', 'cpu/nanoseconds', 'cpu/nanoseconds', 1760000000],
      ['an index', '0', 'samples/count', 176],
      ['an index with a leading zero', '01', 'cpu/nanoseconds', 1760000000],
      ['an index past the end', '2', null, null],
      ['an index far past the end', '99999999999999999999', null, null],
      ['a prefix of a type name', 'sample', null, null],
      ['a unit', 'nanoseconds', null, null],
      ['a prefix of type/unit', 'cpu/nano', null, null],
    ])('sampleTotals reads the total of the type chosen by %s from each profile, oldest first', async (_, choice, sampleType, total) => {
      const { series, truncated } = await sampleTotals(get().db, inRange([m('job', '=', 'api')]), choice, 100);
      expect(truncated).toBe(false);
      expect(series.map((s) => letterOf(s.series.labels)).sort()).toEqual(['A', 'B']);
      expect(series.find((s) => letterOf(s.series.labels) === 'A')!.totals).toEqual([0, 1, 2].map((i) => ({ timestampMs: T0 + i * 60_000, sampleType, total })));
    });

    it('sampleTotals keeps the oldest profiles up to the limit and says it cut', async () => {
      const { series, truncated } = await sampleTotals(get().db, inRange([m('job', '=', 'api')]), undefined, 2);
      expect(truncated).toBe(true);
      const kept = series.flatMap((s) => s.totals.map((x) => `${letterOf(s.series.labels)}@${(x.timestampMs - T0) / 60_000}`));
      expect(kept.sort()).toEqual(['A@0', 'B@0']);
    });

    it('sampleTypesAt lists the sample types of one stored profile, and none for a profile not stored', async () => {
      const { db } = get();
      const [a] = await selectSeries(db, inRange([m('job', '=', 'api'), m('instance', '=', 'a:1')]), 10);
      expect(await sampleTypesAt(db, a.id, T0 + 60_000)).toEqual(['samples/count', 'cpu/nanoseconds']);
      expect(await sampleTypesAt(db, a.id, T0 + 1)).toEqual([]);
    });

    it('readProfiles streams blobs in time order, across pages, up to the cap', async () => {
      const { db } = get();
      const many = Array.from({ length: 40 }, (_, i) =>
        fixtureItem('parca__fib.pb.gz', { __name__: 'profile', job: 'stream', shard: String(i % 2) }, T0 + Math.floor(i / 2) * 1000),
      );
      await writeProfiles(db, many);
      const read = [];
      for await (const p of readProfiles(db, inRange([m('job', '=', 'stream')]), 35)) read.push(p);
      expect(read).toHaveLength(35);
      const times = read.map((p) => p.timestampMs);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBe(T0);
      expect(new Set(read.map((p) => `${p.series.id}@${p.timestampMs}`)).size).toBe(35);
      expect(read.every((p) => p.blob.equals(fixtureBytes('parca__fib.pb.gz')))).toBe(true);
      const all = [];
      for await (const p of readProfiles(db, inRange([m('job', '=', 'stream')]), 1000)) all.push(p);
      expect(all).toHaveLength(40);
    });

    // Each regex runs in Postgres and in JS (selector matching, relabeling): both must give RE2's answer.
    it.each<[string, string, boolean]>([
      ['\\d', '٣', false],
      ['\\w+', 'é', false],
      ['[\\w.]+', 'a.b_1', true],
      ['\\s', '\v', false],
      ['a\\sb', 'a\tb', true],
      ['[^\\s]+', 'é\u00a0', true],
      ['\\S', '\u00a0', true],
      ['(?i)é', 'É', true],
      ['a.b', 'a\nb', true],
      ['\\x41\\x7a', 'Az', true],
      ['\\bapi\\b.*', 'api-v1', true],
      ['a{1', 'a{1', true],
      ['a{1,2}', 'aa', true],
      ['(?P<n>a)|b', 'b', true],
      ['a|b', 'ab', false],
      ['[\\]{]+', ']{', true],
    ])('the regex %s on %j is %s in Postgres and in JS', async (regex, value, want) => {
      const rows = await get().db.orm.execute<{ matched: boolean }>(sql`select ${value} ~ ${toPostgresRegex(regex, 'test')} as matched`);
      expect(rows[0].matched).toBe(want);
      expect(compileLabelRegex(regex).test(value)).toBe(want);
    });

    it.each<[string, () => Promise<unknown>, string, RegExp]>([
      ['an invalid regex', () => selectSeries(get().db, inRange([m('job', '=~', 'api(')]), 10), 'invalid_matcher', /matcher 1 \(job=~"api\("\): regex "api\(" is not a valid regular expression/],
      ['lookahead, which RE2 lacks', () => labelNames(get().db, inRange([m('job', '=~', '(?=a)api')])), 'invalid_matcher', /lookaround/],
      ['a matcher on an invalid label name', () => selectSeries(get().db, inRange([m('my-job', '=', 'x')]), 10), 'invalid_matcher', /"my-job" is not a valid label name/],
      ['an unknown matcher type', () => selectSeries(get().db, inRange([{ name: 'job', type: '~' as MatchType, value: 'x' }]), 10), 'invalid_query', /matchers\.0\.type/],
      ['a start after the end', () => selectSeries(get().db, { matchers: [], fromMs: T0, toMs: T0 - 1 }, 10), 'invalid_query', /the start .* is after the end/],
      ['a zero limit', () => sampleIndex(get().db, inRange([]), 0), 'invalid_query', /limit must be a positive integer/],
      ['a zero totals limit', () => sampleTotals(get().db, inRange([]), undefined, 0), 'invalid_query', /limit must be a positive integer/],
      ['a label-values name that is not a label name', () => labelValues(get().db, 'a b', inRange([])), 'invalid_query', /"a b" is not a valid label name/],
    ])('refuses %s', async (_, call, code, message) => {
      const err = await call().catch((e: unknown) => e);
      expect(isStorageInputError(err) && err.code).toBe(code);
      expect((err as Error).message).toMatch(message);
    });
  });
});

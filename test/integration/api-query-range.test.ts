import { beforeAll, describe, expect, it } from 'vitest';
import { GET as queryRange } from '../../app/api/v1/query_range/route';
import { get, ingestFixture, qs, useApiDatabase } from '../helpers/api';
import { forEachDatabase } from '../helpers/db';
import { readExpected } from '../helpers/fixtures';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const MIN = 60_000;
const MANY = ['1644509272337470000', '1644509275338070000', '1644509278338696000', '1644509281339135000', '1644509284338649000'].map(
  (nanos) => `parca__many-${nanos}.pb.gz`,
);
const MINUTES = [0, 1, 2, 3, 4].map((i) => T0 + i * MIN);
const HEAP_A = 'heap{job="api", instance="a:1"}';

/** The signed sum of one sample type of a fixture, as go tool pprof printed it. */
const sumOf = (file: string, index: number) => readExpected(file).raw!.signedSums[index];
const range = (params: Record<string, string | number>) => get(queryRange, `/api/v1/query_range${qs(params)}`);

describe('GET /api/v1/query_range', () => {
  forEachDatabase((db) => {
    useApiDatabase(db);
    beforeAll(async () => {
      for (const [i, file] of MANY.entries()) await ingestFixture(file, HEAP_A, T0 + i * MIN);
      await ingestFixture('parca__alloc_objects.pb.gz', 'heap{job="api", instance="b:1"}', T0 + 30_000);
      await ingestFixture('google-pprof__sample.cpu', 'profile{job="api", instance="a:1"}', T0);
      // A series whose second profile's default type differs from its first's.
      await ingestFixture('parca__alloc_objects.pb.gz', 'mixed{job="mixed"}', T0);
      await ingestFixture('google-pprof__sample.cpu', 'mixed{job="mixed"}', T0 + MIN);
    });

    it("answers in Conprof's shape with the totals of each profile's default sample type", async () => {
      const reply = await range({ query: 'heap{instance="a:1"}', from: T0, to: T0 + 10 * MIN });
      expect(reply.status).toBe(200);
      const key = Buffer.from('{__name__="heap", instance="a:1", job="api"}').toString('base64url');
      expect(reply.json).toEqual({
        status: 'success',
        data: [{
          labels: { __name__: 'heap', instance: 'a:1', job: 'api' },
          labelsetEncoded: key.padEnd(Math.ceil(key.length / 4) * 4, '='),
          sampleType: 'inuse_space/bytes',
          timestamps: MINUTES,
          values: MANY.map((file) => sumOf(file, 3)),
        }],
        series: reply.json.data,
      });
    });

    it('repeats the series at the top level, where the Grafana datasource built for Conprof reads them', async () => {
      const reply = await range({ query: 'heap', from: T0, to: T0 + 10 * MIN });
      expect(reply.json.series).toEqual(reply.json.data);
      expect(reply.json.series.map((s: { labels: { instance: string } }) => s.labels.instance)).toEqual(['a:1', 'b:1']);
    });

    it.each<[string, string, number]>([
      ['a type name', 'alloc_space', 1],
      ['type/unit', 'alloc_objects/count', 0],
      ['an index', '2', 2],
    ])('totals the sample type chosen by %s', async (_, choice, index) => {
      const reply = await range({ query: HEAP_A, from: T0, to: T0 + 10 * MIN, sample_index: choice });
      expect(reply.json.data[0].values).toEqual(MANY.map((file) => sumOf(file, index)));
    });

    it('leaves out profiles without the chosen sample type, and says so', async () => {
      const reply = await range({ query: '{job="api"}', from: T0, to: T0 + 10 * MIN, sample_index: 'cpu' });
      expect(reply.json.data.map((s: { labels: { __name__: string } }) => s.labels.__name__)).toEqual(['profile']);
      expect(reply.json.data[0].values).toEqual([sumOf('google-pprof__sample.cpu', 1)]);
      expect(reply.json.warnings).toEqual([
        '6 profiles with no sample type "cpu" are left out, e.g. heap{instance="a:1", job="api"} at 2026-11-20T12:00:00.000Z ' +
          'has [alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes]',
      ]);
    });

    it('leaves out every profile for an index past the last sample type, and says so', async () => {
      const reply = await range({ query: '{job="api"}', from: T0, to: T0 + 10 * MIN, sample_index: '4' });
      expect(reply.json.data).toEqual([]);
      expect(reply.json.warnings).toEqual([expect.stringMatching(/^7 profiles with no sample type "4" are left out, e\.g\. heap\{instance="a:1"/)]);
    });

    it("leaves out a profile whose default type differs from its series' first, and says so", async () => {
      const reply = await range({ query: 'mixed', from: T0, to: T0 + 10 * MIN });
      expect(reply.json.data).toMatchObject([{ sampleType: 'alloc_space/bytes', timestamps: [T0], values: [sumOf('parca__alloc_objects.pb.gz', 1)] }]);
      expect(reply.json.warnings).toEqual([
        '1 profiles with a default sample type unlike the rest of its series are left out, ' +
          'e.g. mixed{job="mixed"} at 2026-11-20T12:01:00.000Z has [samples/count cpu/nanoseconds]',
      ]);
    });

    it('returns at most limit series, with a warning', async () => {
      const reply = await range({ query: '{job="api"}', from: T0, to: T0 + 10 * MIN, limit: 2 });
      expect(reply.json.data).toHaveLength(2);
      expect(reply.json.warnings).toEqual(['3 series match; only the first 2 are shown: narrow the selector or raise limit']);
    });

    it.each<[string, Record<string, string | number>, number[]]>([
      ['RFC 3339 times', { from: new Date(T0).toISOString(), to: new Date(T0 + 10 * MIN).toISOString() }, MINUTES],
      ['a range holding two profiles, ends included', { from: T0 + MIN, to: T0 + 2 * MIN }, MINUTES.slice(1, 3)],
    ])('reads %s', async (_, times, timestamps) => {
      expect((await range({ query: HEAP_A, ...times })).json.data[0].timestamps).toEqual(timestamps);
    });

    it.each<[string, string]>([
      ['a selector that matches no series', 'heap{job="nobody"}'],
      ['a selector with SQL in a value', `heap{job="x' or '1'='1"}`],
      ['a selector with SQL in a regex', `{job=~"api'; drop table series; --"}`],
    ])('answers %s with empty data, not an error', async (_, query) => {
      const reply = await range({ query, from: T0, to: T0 + 10 * MIN });
      expect(reply.json).toEqual({ status: 'success', data: [], series: [] });
      expect((await range({ query: 'heap', from: T0, to: T0 + 10 * MIN })).json.data).toHaveLength(2);
    });

    it.each<[string, Record<string, string | number>, string]>([
      ['from after to', { query: 'heap', from: T0 + MIN, to: T0 }, 'from: 2026-11-20T12:01:00.000Z is after to (2026-11-20T12:00:00.000Z); swap them'],
      ['a time that is not one', { query: 'heap', from: 'yesterday', to: T0 }, 'from: not a time: "yesterday"'],
      ['no to', { query: 'heap', from: T0 }, 'to: is required'],
      ['no query', { from: T0, to: T0 }, 'query: is required'],
      ['a range over the maximum', { query: 'heap', from: 'now-40d', to: 'now' }, 'spans 5w5d, more than the 4w3d allowed; narrow it'],
      ['a bad selector', { query: 'heap{job=}', from: T0, to: T0 }, 'query: expected a quoted value such as "api" after job= at position 9'],
      ['a selector of everything', { query: '{job=~".*"}', from: T0, to: T0 }, 'selector would match every series'],
      ['a limit of 0', { query: 'heap', from: T0, to: T0, limit: 0 }, 'limit: must be a whole number from 1 to 1000, got "0"'],
      ['an empty sample type', { query: 'heap', from: T0, to: T0, sample_index: '' }, 'sample_index: must name a sample type'],
    ])('refuses %s with bad_data naming the parameter', async (_, params, message) => {
      const reply = await range(params);
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ status: 'error', errorType: 'bad_data' });
      expect(reply.json.error).toContain(message);
    });
  });
});

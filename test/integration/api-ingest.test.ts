import { beforeAll, describe, expect, it } from 'vitest';
import { POST as ingest } from '../../app/api/v1/ingest/route';
import { GET as query } from '../../app/api/v1/query/route';
import { GET as queryRange } from '../../app/api/v1/query_range/route';
import { GET as series } from '../../app/api/v1/series/route';
import { fixtureBody, get, post, qs, useApiDatabase } from '../helpers/api';
import { forEachDatabase } from '../helpers/db';
import { readExpected } from '../helpers/fixtures';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const range = { start: T0 - 3_600_000, end: T0 + 3_600_000 };

describe('POST /api/v1/ingest', () => {
  forEachDatabase((db) => {
    useApiDatabase(db);
    let stored: Awaited<ReturnType<typeof post>>;
    beforeAll(async () => {
      stored = await post(ingest, `/api/v1/ingest${qs({ series: 'profile{job="api", instance="a:1"}', timestamp: T0 })}`, fixtureBody('google-pprof__sample.cpu'));
    });

    it('stores a gzipped pprof profile and answers with the canonical series and the timestamp', async () => {
      expect(stored.status).toBe(200);
      expect(stored.json).toEqual({ status: 'success', data: { series: 'profile{instance="a:1", job="api"}', timestamp: T0 } });
      const found = await get(queryRange, `/api/v1/query_range${qs({ query: 'profile{job="api"}', from: T0, to: T0 })}`);
      const { sums } = readExpected('google-pprof__sample.cpu').wire!;
      expect(found.json.data).toMatchObject([{ labels: { __name__: 'profile', instance: 'a:1', job: 'api' }, timestamps: [T0], values: [sums[1]] }]);
    });

    it('stores an uncompressed pprof profile with a relative timestamp', async () => {
      const before = Date.now();
      const reply = await post(ingest, `/api/v1/ingest${qs({ series: 'heap{job="raw"}', timestamp: 'now' })}`, fixtureBody('dd-trace-go__heap.pprof'));
      expect(reply.status).toBe(200);
      expect(reply.json.data.timestamp).toBeGreaterThanOrEqual(before);
      expect(reply.json.data.timestamp).toBeLessThanOrEqual(Date.now());
    });

    it('stores folded stacks under the sample type and unit given', async () => {
      const body = 'main;serve;parse 30\nmain;serve 10\nmain;gc 5\n';
      const path = `/api/v1/ingest${qs({ series: 'wall{job="batch"}', timestamp: T0, format: 'folded', sample_type: 'wall', unit: 'nanoseconds' })}`;
      expect((await post(ingest, path, body)).status).toBe(200);
      const at = qs({ query: 'wall{job="batch"}', time: T0 });
      expect((await get(query, `/api/v1/query${at}&report=meta`)).json.data).toEqual({ sampleTypes: ['wall/nanoseconds'], defaultSampleType: 'wall/nanoseconds' });
      expect((await get(query, `/api/v1/query${at}&report=folded`)).text).toBe('main;gc 5\nmain;serve 10\nmain;serve;parse 30\n');
    });

    it('keeps the first profile when the same series and timestamp come again, and says so', async () => {
      const again = await post(ingest, `/api/v1/ingest${qs({ series: 'profile{instance="a:1", job="api"}', timestamp: T0 })}`, fixtureBody('parca__fib.pb.gz'));
      expect(again.status).toBe(200);
      expect(again.json.warnings).toEqual([`profile{instance="a:1", job="api"} already has a profile at ${new Date(T0).toISOString()}; the new one was not stored`]);
      const meta = await get(query, `/api/v1/query${qs({ query: 'profile{job="api"}', time: T0, report: 'top' })}`);
      expect(meta.json.data.total).toBe(readExpected('google-pprof__sample.cpu').tops[1].total);
    });

    const t = T0 + 60_000;
    it.each<[string, Record<string, string | number>, BodyInit, number, string]>([
      ['a body that is not pprof', { series: 'heap{job="bad"}', timestamp: t }, 'hello, profiler', 400, 'not gzip or pprof protobuf'],
      ['a legacy text profile', { series: 'heap{job="bad"}', timestamp: t }, fixtureBody('google-pprof__gobench.heap'), 400, 'legacy pre-protobuf format'],
      ['an empty body', { series: 'heap{job="bad"}', timestamp: t }, '', 400, 'the request body is empty: send a pprof profile'],
      ['no series', { timestamp: t }, fixtureBody('parca__fib.pb.gz'), 400, 'series: is required'],
      ['a pattern for a label', { series: 'heap{job=~"bad.*"}' }, fixtureBody('parca__fib.pb.gz'), 400, 'series: job=~… is a pattern'],
      ['a label given twice', { series: 'heap{job="a", job="b"}' }, fixtureBody('parca__fib.pb.gz'), 400, 'series: label job is given twice'],
      ['a reserved label name', { series: 'heap{__tenant__="bad"}' }, fixtureBody('parca__fib.pb.gz'), 400, 'label name "__tenant__" is reserved'],
      ['a label name outside the rules', { series: 'heap{"job-name"="bad"}' }, fixtureBody('parca__fib.pb.gz'), 400, 'label name "job-name" at position 5 is not valid'],
      ['no profile type', { series: '{job="bad"}' }, fixtureBody('parca__fib.pb.gz'), 400, 'the label set has no __name__'],
      ['a time that is not one', { series: 'heap{job="bad"}', timestamp: 'yesterday' }, fixtureBody('parca__fib.pb.gz'), 400, 'timestamp: not a time: "yesterday"'],
      ['an unknown format', { series: 'heap{job="bad"}', format: 'json' }, '{}', 400, 'format: must be one of "pprof", "folded", got "json"'],
      ['a bad folded line', { series: 'heap{job="bad"}', format: 'folded' }, 'a;b 1\nnot a stack\n', 400, 'folded stacks line 2'],
      ['folded text that is not UTF-8', { series: 'heap{job="bad"}', format: 'folded' }, new Uint8Array([0x61, 0xff, 0x20, 0x31]), 400, 'not UTF-8'],
    ])('refuses %s and stores nothing', async (_, params, body, status, message) => {
      const reply = await post(ingest, `/api/v1/ingest${qs(params)}`, body);
      expect(reply.status).toBe(status);
      expect(reply.json).toMatchObject({ status: 'error', errorType: 'bad_data' });
      expect(reply.json.error).toContain(message);
      const bad = await get(series, `/api/v1/series${qs({ 'match[]': '{job=~"bad.*"}', ...range })}`);
      expect(bad.json.data).toEqual([]);
    });
  });
});

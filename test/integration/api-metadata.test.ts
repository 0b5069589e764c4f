import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as healthy } from '../../app/-/healthy/route';
import { GET as ready } from '../../app/-/ready/route';
import { GET as labelValues } from '../../app/api/v1/label/[name]/values/route';
import { GET as labels } from '../../app/api/v1/labels/route';
import { GET as queryRange } from '../../app/api/v1/query_range/route';
import { GET as series } from '../../app/api/v1/series/route';
import { GET as config } from '../../app/api/v1/status/config/route';
import { GET as targets } from '../../app/api/v1/targets/route';
import { GET as download } from '../../app/download/[labelset]/[time]/route';
import { GET as pprofLink } from '../../app/pprof/[labelset]/[time]/route';
import { writeTargetHealth, writeWorkerConfig } from '../../lib/db';
import { get, ingestFixture, qs, useApiDatabase } from '../helpers/api';
import { fixtureBytes, forEachDatabase } from '../helpers/db';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOUR = 3_600_000;
const around = { start: T0 - HOUR, end: T0 + HOUR };
const keyOf = (selector: string) => {
  const key = Buffer.from(selector).toString('base64url');
  return key.padEnd(Math.ceil(key.length / 4) * 4, '=');
};

describe('metadata, targets, config, probes and Conprof links', () => {
  forEachDatabase((db) => {
    useApiDatabase(db);
    beforeAll(async () => {
      await ingestFixture('parca__fib.pb.gz', 'profile{job="api", instance="a:1", zone="eu"}', T0);
      await ingestFixture('parca__fib.pb.gz', 'profile{job="api", instance="a:1", zone="eu", canary="yes"}', T0);
      await ingestFixture('parca__alloc_objects.pb.gz', 'heap{job="db", instance="d:1"}', T0 + 60_000);
      await ingestFixture('parca__alloc_objects.pb.gz', 'heap{job="old", instance="o:1"}', T0 - 48 * HOUR);
    });

    it.each<[string, [string, string | number][], object[]]>([
      ['one selector', [['match[]', 'heap'], ['start', around.start], ['end', around.end]], [{ __name__: 'heap', instance: 'd:1', job: 'db' }]],
      ['the union of several', [['match[]', 'heap'], ['match[]', '{zone="eu", canary=""}'], ['start', around.start], ['end', around.end]], [
        { __name__: 'profile', instance: 'a:1', job: 'api', zone: 'eu' },
        { __name__: 'heap', instance: 'd:1', job: 'db' },
      ]],
      ['series seen in the range only', [['match[]', 'heap'], ['start', T0 - 49 * HOUR], ['end', T0 - 47 * HOUR]], [{ __name__: 'heap', instance: 'o:1', job: 'old' }]],
      ['nothing, when nothing matches', [['match[]', 'heap{job="nobody"}'], ['start', around.start], ['end', around.end]], []],
    ])('/api/v1/series lists the label sets matching %s', async (_, params, expected) => {
      const reply = await get(series, `/api/v1/series${qs(params)}`);
      expect(reply.json).toEqual({ status: 'success', data: expected });
    });

    it('/api/v1/labels lists label names, of every series in range by default', async () => {
      expect((await get(labels, `/api/v1/labels${qs(around)}`)).json.data).toEqual(['__name__', 'canary', 'instance', 'job', 'zone']);
      expect((await get(labels, `/api/v1/labels${qs({ 'match[]': 'heap', ...around })}`)).json.data).toEqual(['__name__', 'instance', 'job']);
    });

    it('/api/v1/label/<name>/values lists the values of one label', async () => {
      const values = (name: string, params: object) => get(labelValues, `/api/v1/label/${name}/values${qs({ ...around, ...params })}`, { name });
      expect((await values('job', {})).json.data).toEqual(['api', 'db']);
      expect((await values('__name__', {})).json.data).toEqual(['heap', 'profile']);
      expect((await values('job', { 'match[]': 'heap' })).json.data).toEqual(['db']);
      expect((await values('team', {})).json.data).toEqual([]);
    });

    it.each<[string, () => Promise<{ status: number; json: { error: string } }>, string]>([
      ['series without match[]', () => get(series, `/api/v1/series${qs(around)}`), 'match[]: give at least one selector'],
      ['a bad match[]', () => get(series, `/api/v1/series${qs({ 'match[]': 'heap{job="a"', ...around })}`), 'match[] #1: '],
      ['start after end', () => get(labels, `/api/v1/labels${qs({ start: T0, end: T0 - 1 })}`), 'start: is after end; swap them'],
      ['a bad label name', () => get(labelValues, '/api/v1/label/job-name/values', { name: 'job-name' }), '"job-name" is not a valid label name'],
      ['an unknown target state', () => get(targets, '/api/v1/targets?state=up'), 'state: must be one of "active", "dropped", "any", got "up"'],
    ])('refuses %s with bad_data', async (_, call, message) => {
      const reply = await call();
      expect(reply.status).toBe(400);
      expect(reply.json.error).toContain(message);
    });

    it('/api/v1/targets shows what the worker recorded, filtered by state', async () => {
      await writeTargetHealth(db().db, {
        active: [{
          job: 'api', profileType: 'heap', url: 'http://a:1/debug/pprof/heap', labels: { job: 'api', instance: 'a:1' },
          discoveredLabels: { __address__: 'a:1' }, intervalMs: 15_000, timeoutMs: 10_000, health: 'down', lastScrapeMs: T0,
          lastDurationMs: 250, lastBytes: null, lastError: { reason: 'http_status', message: 'server returned HTTP status 500' },
        }],
        dropped: [{ job: 'api', discoveredLabels: { __address__: 'b:1' } }],
      });
      const all = (await get(targets, '/api/v1/targets')).json.data;
      expect(all.activeTargets).toEqual([expect.objectContaining({
        labels: { job: 'api', instance: 'a:1' }, discoveredLabels: { __address__: 'a:1' }, scrapeUrl: 'http://a:1/debug/pprof/heap',
        lastScrape: new Date(T0).toISOString(), lastScrapeDuration: 0.25, health: 'down', lastError: 'server returned HTTP status 500',
      })]);
      expect(all.droppedTargets).toEqual([{ discoveredLabels: { __address__: 'b:1' }, scrapePool: 'api' }]);
      expect((await get(targets, '/api/v1/targets?state=active')).json.data.droppedTargets).toEqual([]);
      expect((await get(targets, '/api/v1/targets?state=dropped')).json.data.activeTargets).toEqual([]);
    });

    it('/api/v1/status/config shows the YAML the worker runs, once it has recorded it', async () => {
      expect((await get(config, '/api/v1/status/config')).json).toEqual({
        status: 'success', data: { yaml: '' }, warnings: ['no worker has recorded its config in this database yet: is the worker running?'],
      });
      await writeWorkerConfig(db().db, { source: 'profd.yml', yaml: 'scrape_configs: []\n', loadedAtMs: T0 });
      expect((await get(config, '/api/v1/status/config')).json.data).toEqual({ yaml: 'scrape_configs: []\n', source: 'profd.yml', loadedAt: new Date(T0).toISOString() });
    });

    it.each([['/-/ready', ready, 'profd is Ready.\n'], ['/-/healthy', healthy, 'profd is Healthy.\n']] as const)(
      '%s answers 200 while the database does',
      async (path, handler, text) => {
        const reply = await get(handler, path);
        expect([reply.status, reply.text]).toEqual([200, text]);
      },
    );

    it('/-/ready answers 503 while the database does not', async () => {
      const working = process.env.DATABASE_URL;
      process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:1/unreachable';
      try {
        const reply = await get(ready, '/-/ready');
        expect([reply.status, reply.text]).toEqual([503, 'profd is not ready: the database does not answer\n']);
      } finally {
        process.env.DATABASE_URL = working;
      }
    });

    it('/download/<key>/<ms>/ serves the stored profile of exactly that series, from a query_range key', async () => {
      const [first] = (await get(queryRange, `/api/v1/query_range${qs({ query: 'profile{canary=""}', from: T0, to: T0 })}`)).json.data;
      expect(first.labelsetEncoded).toBe(keyOf('{__name__="profile", instance="a:1", job="api", zone="eu"}'));
      const reply = await get(download, `/download/${first.labelsetEncoded}/${T0}/`, { labelset: first.labelsetEncoded, time: String(T0) });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-disposition')).toBe(`attachment; filename=profile-${T0}.pb.gz`);
      expect(gunzipSync(reply.bytes)).toEqual(gunzipSync(fixtureBytes('parca__fib.pb.gz')));
    });

    it.each<[string, string, string, number, string]>([
      ['a series with more labels only', keyOf('{__name__="profile", job="api"}'), String(T0), 404, 'profile{job="api"} has no profile at'],
      ['another time', keyOf('{__name__="heap", instance="d:1", job="db"}'), String(T0), 404, 'has no profile at 2026-11-20T12:00:00.000Z'],
      ['a key that is not base64', 'not base64!', String(T0), 400, 'labelset: series key "not base64!" is not URL-safe base64'],
      ['a key of a selector with patterns', keyOf('{job=~"api"}'), String(T0), 400, 'job=~… is a pattern'],
      ['a time that is not milliseconds', keyOf('{__name__="heap"}'), 'now', 400, 'time: must be Unix milliseconds'],
    ])('/download refuses %s', async (_, key, time, status, message) => {
      const reply = await get(download, `/download/${key}/${time}/`, { labelset: key, time });
      expect(reply.status).toBe(status);
      expect(reply.json.error).toContain(message);
    });

    it("/pprof/<key>/<ms>/ redirects to the UI's single-profile view", async () => {
      const key = keyOf('{__name__="heap", instance="d:1", job="db"}');
      const reply = await get(pprofLink, `/pprof/${key}/${T0}/`, { labelset: key, time: String(T0) });
      expect(reply.status).toBe(302);
      expect(reply.headers.get('location')).toBe(`/?${new URLSearchParams({ query: 'heap{instance="d:1", job="db"}', time: String(T0) })}`);
    });
  });
});

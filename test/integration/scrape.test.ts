import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkerConfig } from '../../lib/config/worker-config';
import { decodeProfile, isGzip, unwrapProfileBytes } from '../../lib/pprof';
import { ScrapeError } from '../../lib/scrape/errors';
import { fetchProfile } from '../../lib/scrape/fetch-profile';
import { TargetHealthRegistry } from '../../lib/scrape/health';
import { scrapeOnce } from '../../lib/scrape/loop';
import { ScrapeManager } from '../../lib/scrape/manager';
import type { ProfileSink, ScrapedProfile } from '../../lib/scrape/sink';
import { targetsFromGroup } from '../../lib/scrape/targets-from-group';
import { readFixture } from '../helpers/fixtures';
import { startPprofServer, type PprofServer } from '../helpers/pprof-server';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** A sink that keeps what it is given: the real interface, with memory instead of a database. */
function collectingSink(): ProfileSink & { items: ScrapedProfile[] } {
  const items: ScrapedProfile[] = [];
  return { items, write: async (item) => void items.push(item) };
}

let server: PprofServer;
beforeAll(async () => {
  server = await startPprofServer({
    '/debug/pprof/heap': { kind: 'fixture', name: 'parca__alloc_objects.pb.gz' },
    '/raw/heap': { kind: 'fixture', name: 'dd-trace-go__heap.pprof' },
    '/hang': { kind: 'hang' },
    '/500': { kind: 'status', status: 500, body: 'profile: mutex profiling is not enabled\n' },
    '/huge': { kind: 'huge', bytes: GiB },
    '/huge-announced': { kind: 'huge', bytes: GiB, announce: true },
    '/html': { kind: 'html' },
    '/close': { kind: 'close-mid-body' },
  });
});
afterAll(() => server.close());

async function fetchError(path: string, timeoutMs = 2000, maxBytes = 64 * MiB): Promise<ScrapeError> {
  const err = await fetchProfile(`${server.url}${path}`, { timeoutMs, maxBytes }).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ScrapeError);
  return err as ScrapeError;
}

describe('fetchProfile over loopback HTTP', () => {
  it('returns the body byte for byte', async () => {
    const { bytes } = await fetchProfile(`${server.url}/debug/pprof/heap`, { timeoutMs: 2000, maxBytes: 64 * MiB });
    expect(Buffer.from(bytes).equals(Buffer.from(readFixture('parca__alloc_objects.pb.gz')))).toBe(true);
  });

  it('gives up on a hanging target at the timeout', async () => {
    const started = Date.now();
    const err = await fetchError('/hang', 300);
    expect(err.reason).toBe('timeout');
    expect(err.message).toBe(`no complete answer within the 300 ms timeout while requesting ${server.url}/hang`);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports a non-2xx status with the start of the body', async () => {
    const err = await fetchError('/500');
    expect([err.reason, err.message]).toEqual(['http_status', `${server.url}/500 returned HTTP 500: profile: mutex profiling is not enabled`]);
  });

  it('stops reading a 1 GiB stream at the limit instead of buffering it', async () => {
    const err = await fetchError('/huge', 10_000, MiB);
    expect(err.reason).toBe('too_large');
    expect(err.message).toMatch(/grew past the body_size_limit of 1MiB/);
    // What the server managed to push into socket buffers before the client hung up: nowhere near 1 GiB.
    expect(server.bytesSent('/huge')).toBeLessThan(32 * MiB);
  });

  it('refuses an announced oversized body without reading it', async () => {
    const err = await fetchError('/huge-announced', 10_000, MiB);
    expect([err.reason, err.message]).toEqual(['too_large', `${server.url}/huge-announced announced ${GiB} bytes, over the body_size_limit of 1MiB`]);
  });

  it('reports a connection closed mid-body', async () => {
    const err = await fetchError('/close');
    expect(err.reason).toBe('connection');
    expect(err.message).toMatch(/reading the body of .*\/close failed/);
  });

  it('reports a refused connection', async () => {
    const err = await fetchProfile('http://127.0.0.1:1/debug/pprof/heap', { timeoutMs: 2000, maxBytes: MiB }).catch((e: ScrapeError) => e);
    expect([(err as ScrapeError).reason, (err as ScrapeError).message]).toEqual(['connection', expect.stringMatching(/requesting http:\/\/127\.0\.0\.1:1\/debug\/pprof\/heap failed: .*ECONNREFUSED/)]);
  });
});

/** A job scraping this server's paths as custom profile types, each other type off. */
function jobYaml(types: Record<string, string>, extra = ''): string {
  const off = ['allocs', 'block', 'goroutine', 'heap', 'mutex', 'profile', 'threadcreate'].filter((t) => !(t in types));
  const lines = [...Object.entries(types).map(([name, path]) => `        ${name}: { path: ${path} }`), ...off.map((t) => `        ${t}: { enabled: false }`)];
  return `global:\n  external_labels: { region: test }\nscrape_configs:\n  - job_name: loop\n    scrape_interval: 300ms\n    scrape_timeout: 250ms\n${extra}    profiling_config:\n      pprof_config:\n${lines.join('\n')}\n`;
}

describe('scrapeOnce', () => {
  it('decodes, computes totals as go tool pprof does, and stores gzip even when the target sends raw protobuf', async () => {
    const config = parseWorkerConfig(jobYaml({ raw: '/raw/heap' }));
    const [target] = targetsFromGroup(config.scrapeConfigs[0], { source: 's', targets: [{ __address__: server.address }], labels: {} }).active;
    const sink = collectingSink();
    const report = await scrapeOnce(target, { sink, health: new TargetHealthRegistry() }, new AbortController().signal);
    expect(report.error).toBeNull();
    expect(report.bytes).toBe(readFixture('dd-trace-go__heap.pprof').length);
    const [item] = sink.items;
    expect(item.summary.totals).toEqual([12093902, 1563150773, 27657, 3672576]);
    expect(item.summary.sampleTypes.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(isGzip(item.blob)).toBe(true);
    expect(Buffer.from(unwrapProfileBytes(item.blob)).equals(Buffer.from(readFixture('dd-trace-go__heap.pprof')))).toBe(true);
  });

  it('keeps only the configured sample types', async () => {
    const yaml = jobYaml({ heap: '/debug/pprof/heap' }).replace('heap: { path: /debug/pprof/heap }', 'heap: { keep_sample_type: [{ type: inuse_space, unit: bytes }] }');
    const [target] = targetsFromGroup(parseWorkerConfig(yaml).scrapeConfigs[0], { source: 's', targets: [{ __address__: server.address }], labels: {} }).active;
    const sink = collectingSink();
    await scrapeOnce(target, { sink, health: new TargetHealthRegistry() }, new AbortController().signal);
    expect(sink.items[0].summary.totals).toEqual([14730706]);
    expect(decodeProfile(sink.items[0].blob).sampleTypes).toEqual([{ type: 'inuse_space', unit: 'bytes' }]);
  });
  it('records a sink that refuses the write as a storage error', async () => {
    const [target] = targetsFromGroup(parseWorkerConfig(jobYaml({ heap: '/debug/pprof/heap' })).scrapeConfigs[0], { source: 's', targets: [{ __address__: server.address }], labels: {} }).active;
    const sink: ProfileSink = { write: async () => Promise.reject(new Error('database is down')) };
    const report = await scrapeOnce(target, { sink, health: new TargetHealthRegistry() }, new AbortController().signal);
    expect(report.error).toEqual({ reason: 'storage', message: 'the profile was scraped but could not be stored: database is down' });
  });

  it('refuses to store a profile that keep_sample_type would empty', async () => {
    const yaml = jobYaml({ heap: '/debug/pprof/heap' }).replace('heap: { path: /debug/pprof/heap }', 'heap: { keep_sample_type: [{ type: cpu, unit: nanoseconds }] }');
    const [target] = targetsFromGroup(parseWorkerConfig(yaml).scrapeConfigs[0], { source: 's', targets: [{ __address__: server.address }], labels: {} }).active;
    const sink = collectingSink();
    const report = await scrapeOnce(target, { sink, health: new TargetHealthRegistry() }, new AbortController().signal);
    expect(report.error).toEqual({
      reason: 'sample_types',
      message: "keep_sample_type (cpu/nanoseconds) matches none of the profile's sample types (alloc_objects/count, alloc_space/bytes, inuse_objects/count, inuse_space/bytes)",
    });
    expect(sink.items).toEqual([]);
  });
});

describe('scrape loops', () => {
  it('scrapes healthy targets on time while faulty ones record their errors', async () => {
    const config = parseWorkerConfig(
      jobYaml({ good: '/debug/pprof/heap', hang: '/hang', err500: '/500', huge: '/huge', html: '/html', cut: '/close' }, '    body_size_limit: 1MiB\n'),
    );
    const controller = new AbortController();
    const sink = collectingSink();
    const manager = new ScrapeManager(config.scrapeConfigs, { sink, signal: controller.signal, externalLabels: config.global.externalLabels });
    const before = server.requests('/debug/pprof/heap').length;
    manager.sync('loop', [{ source: 'static:0', targets: [{ __address__: server.address, env: 'ci' }], labels: {} }]);
    await new Promise((resolve) => setTimeout(resolve, 2400));
    controller.abort();
    await manager.closed();

    const good = server.requests('/debug/pprof/heap').slice(before).map((r) => r.atMs);
    expect(good.length).toBeGreaterThanOrEqual(5);
    const gaps = good.slice(1).map((t, i) => t - good[i]);
    expect(Math.max(...gaps)).toBeLessThan(600);
    expect(sink.items.length).toBe(good.length);
    expect(sink.items[0].labels).toEqual({ __name__: 'good', job: 'loop', instance: server.address, env: 'ci', region: 'test' });

    const health = Object.fromEntries(manager.health.snapshot().active.map((t) => [t.profileType, t]));
    expect(health.good).toMatchObject({ health: 'up', lastError: null, lastBytes: readFixture('parca__alloc_objects.pb.gz').length });
    const reasons = Object.fromEntries(Object.entries(health).map(([type, t]) => [type, [t.health, t.lastError?.reason ?? null]]));
    expect(reasons).toEqual({
      good: ['up', null],
      hang: ['down', 'timeout'],
      err500: ['down', 'http_status'],
      huge: ['down', 'too_large'],
      html: ['down', 'not_pprof'],
      cut: ['down', 'connection'],
    });
    expect(health.html.lastError?.message).toMatch(/the target sent text\/html, not a pprof profile \(is the path right\?\)/);
  });

  it('keeps unchanged loops running, stops removed ones, and lists dropped targets', async () => {
    const yaml = jobYaml({ good: '/debug/pprof/heap' }, "    relabel_configs:\n      - { source_labels: [env], regex: skip, action: drop }\n");
    const controller = new AbortController();
    const manager = new ScrapeManager(parseWorkerConfig(yaml).scrapeConfigs, { sink: collectingSink(), signal: controller.signal });
    const target = { __address__: server.address };
    manager.sync('loop', [{ source: 'a', targets: [target, { __address__: '127.0.0.1:9', env: 'skip' }], labels: {} }]);
    const [first] = manager.health.snapshot().active;
    expect(manager.health.snapshot().dropped.map((d) => [d.job, d.discoveredLabels.__address__, d.discoveredLabels.env])).toEqual([['loop', '127.0.0.1:9', 'skip']]);
    await new Promise((resolve) => setTimeout(resolve, 700));
    manager.sync('loop', [{ source: 'a', targets: [target], labels: {} }]);
    const snapshot = manager.health.snapshot();
    expect(snapshot.active).toHaveLength(1);
    expect(snapshot.active[0].health).toBe('up');
    expect(snapshot.active[0].url).toBe(first.url);
    expect(snapshot.dropped).toEqual([]);
    manager.sync('loop', []);
    expect(manager.health.snapshot().active).toEqual([]);
    controller.abort();
    await manager.closed();
  });
});

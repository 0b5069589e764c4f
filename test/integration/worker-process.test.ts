/**
 * The worker as users run it: a real `npm run worker` process scraping loopback targets that serve
 * fixture profiles or misbehave, plus its own pprof endpoints, writing to a real database through a
 * proxy that can take the database away. One process per database kind runs the whole story.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTargets } from '../../lib/db';
import { decodeProfile } from '../../lib/pprof';
import { forEachDatabase } from '../helpers/db';
import { fixturePath } from '../helpers/fixtures';
import { startOutageProxy, type OutageProxy } from '../helpers/outage-proxy';
import { startPprofServer, type PprofServer } from '../helpers/pprof-server';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

const HEAP_FIXTURE = 'parca__alloc_objects.pb.gz';
const GO_TYPES = ['allocs', 'block', 'goroutine', 'heap', 'mutex', 'profile', 'threadcreate'];
const FAULTS = { hang: '/hang', err500: '/500', huge: '/huge', html: '/html', cut: '/close' };

/** go tool pprof's per-type sums for a fixture, from the last section of its .expected.txt. */
function pprofSums(file: string): number[] {
  const line = /raw signed sum of Sample\.value per index: (.*)/.exec(readFileSync(`${fixturePath(file)}.expected.txt`, 'utf8'))![1];
  return [...line.matchAll(/\[\d+\] (-?\d+)/g)].map((m) => Number(m[1]));
}

/** Prometheus' hashmod, written out independently: md5, low 8 bytes as a big-endian integer, modulo. */
function hashmod(value: string, modulus: number): string {
  return String(BigInt(`0x${createHash('md5').update(value).digest('hex').slice(16)}`) % BigInt(modulus));
}

function pprofConfig(types: Record<string, string>, indent: string): string {
  const on = Object.entries(types).map(([name, path]) => `${name}: { path: ${path} }`);
  const off = GO_TYPES.filter((t) => !(t in types)).map((t) => `${t}: { enabled: false }`);
  return [...on, ...off].map((line) => `${indent}${line}`).join('\n');
}

/** A job `name` scraping the test server every 500 ms, with every relabel action in its chain. */
function appJob(name: string, server: PprofServer, types: Record<string, string>): string {
  return `  - job_name: ${name}
    scrape_interval: 500ms
    scrape_timeout: 400ms
    body_size_limit: 1MiB
    static_configs:
      - targets: ['${server.address}']
        labels: { env: prod, team: Payments, __meta_zone: eu-1, tmp_build: '7', extra: x }
      - targets: ['127.0.0.1:9']
        labels: { env: dev }
    relabel_configs:
      - { source_labels: [env], regex: dev, action: drop }
      - { source_labels: [__address__], regex: '127\\.0\\.0\\.1:.*', action: keep }
      - { source_labels: [env], target_label: environment }
      - { source_labels: [team], target_label: team, action: lowercase }
      - { source_labels: [environment], target_label: env_upper, action: uppercase }
      - { regex: '__meta_(.+)', replacement: 'meta_$1', action: labelmap }
      - { regex: 'tmp_.*', action: labeldrop }
      - { source_labels: [__address__], modulus: 4, target_label: shard, action: hashmod }
      - { source_labels: [environment], target_label: env, action: keepequal }
      - { source_labels: [team], target_label: env, action: dropequal }
      - { regex: '__.*|job|env|environment|team|env_upper|meta_zone|shard', action: labelkeep }
    profiling_config:
      pprof_config:
${pprofConfig(types, '        ')}
`;
}

/** The worker scraping itself, found through a file_sd file the test writes once it knows the port. */
function selfJob(sdFile: string): string {
  return `  - job_name: self
    scrape_interval: 2s
    scrape_timeout: 1500ms
    file_sd_configs: [{ files: ['${sdFile}'], refresh_interval: 1h }]
    profiling_config:
      pprof_config:
${pprofConfig({ heap: '/debug/pprof/heap', profile: '/debug/pprof/profile' }, '        ').replace('profile: { path: /debug/pprof/profile }', 'profile: { path: /debug/pprof/profile, seconds: 1 }')}
`;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A metric's value from /metrics text, 0 when absent. */
function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('the worker process', () => {
  forEachDatabase((get) => {
    let server: PprofServer;
    let proxy: OutageProxy;
    let worker: WorkerProcess;
    let dir: string;
    let configFile: string;
    const writeConfig = (jobs: string) => writeFileSync(configFile, `global:\n  external_labels: { cluster: ci }\nscrape_configs:\n${jobs}`);

    beforeAll(async () => {
      server = await startPprofServer({
        '/debug/pprof/heap': { kind: 'fixture', name: HEAP_FIXTURE },
        '/hang': { kind: 'hang' },
        '/500': { kind: 'status', status: 500, body: 'profile: mutex profiling is not enabled\n' },
        '/huge': { kind: 'huge', bytes: 1024 ** 3 },
        '/html': { kind: 'html' },
        '/close': { kind: 'close-mid-body' },
      });
      proxy = await startOutageProxy(get().url);
      dir = mkdtempSync(join(tmpdir(), 'profd-worker-'));
      configFile = join(dir, 'profd.yml');
      writeConfig(appJob('app', server, { heap: '/debug/pprof/heap', ...FAULTS }) + selfJob(join(dir, 'self.json')));
      worker = await startWorkerProcess(['--config.file', configFile], { DATABASE_URL: proxy.url });
    });
    afterAll(async () => {
      worker?.child.kill('SIGKILL');
      await Promise.all([server?.close(), proxy?.close()]);
      rmSync(dir, { recursive: true, force: true });
    });

    const samples = (job: string, type: string) =>
      get().db.orm.execute<{ labels: Record<string, string>; ms: number; totals: number[]; sampleTypes: string[]; blob: Buffer }>(
        sql`select labels, (extract(epoch from ts) * 1000)::float8 as ms, totals, sample_types as "sampleTypes", blob
            from samples join series on series.id = series_id where labels->>'job' = ${job} and labels->>'__name__' = ${type} order by ts`,
      );

    it('stores profiles with their relabeled labels and the totals go tool pprof reports, on schedule', async () => {
      await until('five heap profiles are stored', async () => (await samples('app', 'heap')).length >= 5);
      const stored = await samples('app', 'heap');
      expect(stored[0].labels).toEqual({
        __name__: 'heap', job: 'app', instance: server.address, cluster: 'ci', env: 'prod', environment: 'prod',
        team: 'payments', env_upper: 'PROD', meta_zone: 'eu-1', shard: hashmod(server.address, 4),
      });
      expect(stored.map((s) => s.totals)).toEqual(stored.map(() => pprofSums(HEAP_FIXTURE)));
      // Five faulty targets scraped one after another would take 2 s a round; loops keep each at 500 ms.
      const gaps = stored.slice(1).map((s, i) => s.ms - stored[i].ms).sort((a, b) => a - b);
      expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(650);
      expect(gaps.at(-1)).toBeLessThan(1500);
    });

    it("records every faulty target's error in the database while the healthy one stays up", async () => {
      const byType = async () => Object.fromEntries((await readTargets(get().db, 'any')).activeTargets.filter((t) => t.scrapePool === 'app').map((t) => [t.profileType, [t.health, t.lastErrorReason]]));
      await until('every app target has been scraped', async () => Object.values(await byType()).filter(([health]) => health !== 'unknown').length === 6);
      expect(await byType()).toEqual({
        heap: ['up', null],
        hang: ['down', 'timeout'],
        err500: ['down', 'http_status'],
        huge: ['down', 'too_large'],
        html: ['down', 'not_pprof'],
        cut: ['down', 'connection'],
      });
      const { droppedTargets } = await readTargets(get().db, 'dropped');
      expect(droppedTargets.filter((d) => d.scrapePool === 'app').map((d) => [d.discoveredLabels.__address__, d.discoveredLabels.env])).toEqual(
        Array(6).fill(['127.0.0.1:9', 'dev']),
      );
    });

    it('scrapes its own CPU and heap profiles once file_sd names its listener', async () => {
      writeFileSync(join(dir, 'self.json'), JSON.stringify([{ targets: [worker.address] }]));
      await until('its own heap and CPU profiles are stored', async () => (await samples('self', 'heap')).length > 0 && (await samples('self', 'profile')).length > 0, 20_000);
      const [heap] = await samples('self', 'heap');
      const [cpu] = await samples('self', 'profile');
      expect(heap.sampleTypes).toEqual(['inuse_objects/count', 'inuse_space/bytes']);
      expect(cpu.sampleTypes).toEqual(['sample/count', 'wall/nanoseconds']);
      expect(decodeProfile(cpu.blob).samples.length).toBeGreaterThan(0);
    });

    it('serves metrics, readiness and health', async () => {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      expect(metric(text, 'profd_scrapes_total{job="app",profile_type="heap"}')).toBeGreaterThanOrEqual(5);
      for (const [type, reason] of [['hang', 'timeout'], ['err500', 'http_status'], ['huge', 'too_large'], ['html', 'not_pprof'], ['cut', 'connection']]) {
        expect(metric(text, `profd_scrape_failures_total{job="app",profile_type="${type}",reason="${reason}"}`)).toBeGreaterThan(0);
      }
      expect(metric(text, 'profd_profiles_written_total')).toBeGreaterThanOrEqual(5);
      expect(metric(text, 'profd_write_batches_total{result="written"}')).toBeGreaterThan(0);
      expect(metric(text, 'profd_ingest_queue_capacity_profiles')).toBe(5000);
      expect(metric(text, 'profd_targets{health="down"}')).toBe(5);
      expect(metric(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
      const statuses = await Promise.all(['/-/ready', '/-/healthy', '/-/reload', '/nope'].map(async (path) => (await fetch(worker.url + path)).status));
      expect(statuses).toEqual([200, 200, 405, 404]);
    });

    it('refuses a bad config on POST /-/reload, saying why, and keeps scraping the old one', async () => {
      writeConfig(appJob('app', server, { heap: '/debug/pprof/heap' }).replace('scrape_interval: 500ms', 'scrape_intervall: 500ms'));
      const response = await fetch(`${worker.url}/-/reload`, { method: 'POST' });
      const body = await response.text();
      expect(response.status).toBe(400);
      expect(body).toContain(`scrape_configs[0] (job "app").scrape_intervall: unknown field (check its spelling and indentation)`);
      expect(body).toContain('the previous config keeps running');
      await worker.waitForLog(/level=error msg="reloading the config failed; the previous config keeps running".*scrape_intervall: unknown field/);
      const before = server.requests('/hang').length;
      await until('the old config keeps scraping', () => server.requests('/hang').length >= before + 2);
      expect(metric(await (await fetch(`${worker.url}/metrics`)).text(), 'profd_config_last_reload_successful')).toBe(0);
    });

    it('swaps targets on a good config, by POST /-/reload and by SIGHUP', async () => {
      writeConfig(appJob('app2', server, { heap: '/debug/pprof/heap' }));
      const response = await fetch(`${worker.url}/-/reload`, { method: 'POST' });
      expect([response.status, await response.text()]).toEqual([200, `reloaded ${configFile}: 1 job(s)\n`]);
      await until('app2 profiles are stored', async () => (await samples('app2', 'heap')).length > 0);
      await until('only app2 is listed', async () => (await readTargets(get().db, 'active')).activeTargets.every((t) => t.scrapePool === 'app2'));
      const hangs = server.requests('/hang').length;

      writeConfig(appJob('app3', server, { heap: '/debug/pprof/heap' }));
      worker.child.kill('SIGHUP');
      await worker.waitForLog(/msg="config reloaded on SIGHUP"/);
      await until('app3 profiles are stored', async () => (await samples('app3', 'heap')).length >= 2);
      expect(server.requests('/hang').length).toBe(hangs);
    });

    it('loses nothing to a database outage and flushes its queue on SIGTERM within 10 s', async () => {
      const outageStart = Date.now();
      await proxy.down();
      await worker.waitForLog(/the database is unavailable; keeping profiles queued and retrying/);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const sigterm = Date.now();
      worker.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await proxy.up();
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - sigterm).toBeLessThan(10_000);
      expect(worker.logs.find((l) => l.includes('msg=stopped'))).toMatch(/profiles_lost=0/);
      // Every heap profile the target served during the outage is stored. A scrape is stamped with its
      // start, a moment before the server sees the request, hence the slightly wider stored window.
      const served = server.requests('/debug/pprof/heap').filter((r) => r.atMs >= outageStart && r.atMs < sigterm - 600);
      const stored = (await samples('app3', 'heap')).filter((s) => s.ms >= outageStart - 100 && s.ms < sigterm - 500);
      expect(served.length).toBeGreaterThanOrEqual(3);
      expect(stored.length).toBeGreaterThanOrEqual(served.length);
    });
  });
});

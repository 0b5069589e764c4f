/**
 * Worker benchmark (`npm run bench -- worker`): one real worker process, run as `npm start` runs it
 * (bundled by worker/bundle.ts, plain `node`), scraping 1,000 simulated targets (1,000 loopback HTTP
 * servers, so 1,000 origins as in production) that serve real fixture profiles for five profile types
 * every 15 s, that is 333 profiles/s, into a scratch database on the Postgres server named by
 * PROFD_BENCH_DATABASE_URL. After a warm-up of one interval plus a few seconds, it measures over
 * PROFD_BENCH_SECONDS (default 60): profiles written per second (the worker's
 * profd_profiles_written_total), the worker's CPU (its process_cpu_seconds_total) and its peak RSS
 * (VmHWM, which covers the warm-up too). PROFD_BENCH_TARGETS changes the target count;
 * PROFD_BENCH_WORKER_NODE_ARGS adds node flags to the worker (`--cpu-prof --cpu-prof-dir=DIR` to see
 * where its CPU goes).
 *
 * "Keeps up" counts each profile the worker took in during the window, written or still held (queued,
 * being written, or waiting to be decoded), and asks that what it holds did not grow past a batch or
 * two. Counting only writes, which land 100 at a time, the window caught a batch more or less, and the
 * rate read 332-334/s against 333.3 offered with nothing dropped.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundleWorker } from '../worker/bundle';
import { withScratchDatabase } from './scratch-database';

const TARGETS = Number(process.env.PROFD_BENCH_TARGETS ?? 1000);
const MEASURE_S = Number(process.env.PROFD_BENCH_SECONDS ?? 60);
const INTERVAL_S = 15;
/** Two of the ingest queue's batches of 100: held beyond that, the worker is falling behind. */
const HELD_AT_MOST = 200;
// What a Go service serves for each type (CPU, heap, allocs, goroutine, block), from real programs.
const FIXTURES: Record<string, string> = {
  profile: 'parca__profile1.pb.gz',
  heap: 'parca__alloc_objects.pb.gz',
  allocs: 'parca__alloc_space_delta.pb.gz',
  goroutine: 'flameshow__goroutine.out',
  block: 'dd-trace-go__block.after.pprof',
};

interface Row {
  readonly what: string;
  readonly value: number;
  readonly unit: string;
  readonly goal: string;
  readonly met: boolean;
}

/** Starts `count` loopback servers answering every /debug/pprof/<type> with its fixture. */
async function startTargets(count: number): Promise<{ addresses: string[]; close(): Promise<void> }> {
  const bodies = new Map(Object.entries(FIXTURES).map(([type, file]) => [`/debug/pprof/${type}`, readFileSync(new URL(`../../shared/fixtures/pprof/${file}`, import.meta.url))]));
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer((req, res) => {
      const body = bodies.get((req.url ?? '').split('?')[0]);
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  return {
    addresses: servers.map((s) => `127.0.0.1:${(s.address() as AddressInfo).port}`),
    close: async () => void (await Promise.all(servers.map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))))),
  };
}

function configYaml(addresses: readonly string[]): string {
  const types = Object.keys(FIXTURES).map((t) => `        ${t}: { path: /debug/pprof/${t}${t === 'profile' ? ', seconds: 10' : ''} }`);
  return `scrape_configs:
  - job_name: bench
    scrape_interval: ${INTERVAL_S}s
    scrape_timeout: ${INTERVAL_S}s
    static_configs:
      - targets: [${addresses.map((a) => `'${a}'`).join(', ')}]
    profiling_config:
      pprof_config:
${types.join('\n')}
        mutex: { enabled: false }
        threadcreate: { enabled: false }
`;
}

/** Starts the worker and resolves with its pid and listener once it logs that it is ready. */
async function startWorker(configFile: string, databaseUrl: string) {
  const nodeArgs = (process.env.PROFD_BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, await bundleWorker(), '--config.file', configFile], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PROFD_WORKER_LISTEN: '127.0.0.1:0' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  // Never leave a worker scraping behind when the bench itself dies.
  process.on('exit', () => child.kill('SIGKILL'));
  let log = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      const ready = /msg=ready address=(\S+)/.exec(log);
      if (ready) resolve(ready[1]);
      if (/level=(warn|error)/.test(chunk)) process.stderr.write(chunk);
    });
    child.on('exit', () => reject(new Error(`the worker exited during start-up:\n${log}`)));
  });
  return { pid: child.pid!, url: `http://${address}`, stop: () => (child.kill('SIGTERM'), exited) };
}

/** The worker's counters that matter here, from its /metrics. */
async function counters(url: string): Promise<{ written: number; held: number; cpuSeconds: number; dropped: number; failures: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = (prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix)).reduce((total, l) => total + Number(l.split(' ').at(-1)), 0);
  const held = sum('profd_ingest_queue_profiles') + sum('profd_scrape_decode_backlog');
  return { written: sum('profd_profiles_written_total'), held, cpuSeconds: sum('process_cpu_seconds_total'), dropped: sum('profd_profiles_dropped_total'), failures: sum('profd_scrape_failures_total') };
}

function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
  return Number(kb) / 1024;
}

async function run(): Promise<Row[]> {
  const targets = await startTargets(TARGETS);
  const dir = mkdtempSync(join(tmpdir(), 'profd-bench-worker-'));
  try {
    writeFileSync(join(dir, 'profd.yml'), configYaml(targets.addresses));
    return await withScratchDatabase('worker', async (url) => {
      const worker = await startWorker(join(dir, 'profd.yml'), url);
      const rows: Row[] = [];
      try {
        await sleep((INTERVAL_S + 5) * 1000);
        const before = await counters(worker.url);
        const started = performance.now();
        await sleep(MEASURE_S * 1000);
        const after = await counters(worker.url);
        const seconds = (performance.now() - started) / 1000;
        const offered = (TARGETS * Object.keys(FIXTURES).length) / INTERVAL_S;
        const rate = (after.written + after.held - before.written - before.held) / seconds;
        const cores = (after.cpuSeconds - before.cpuSeconds) / seconds;
        const rss = peakRssMb(worker.pid);
        rows.push(
          { what: `profiles taken in/s (${TARGETS} targets × 5 types every ${INTERVAL_S}s = ${offered.toFixed(0)}/s offered)`, value: rate, unit: 'profiles/s', goal: `≥ ${Math.floor(offered)}`, met: rate >= Math.floor(offered) },
          { what: '  of them held at the window\'s end (queued, being written or decoded)', value: after.held, unit: 'profiles', goal: `≤ ${HELD_AT_MOST}`, met: after.held <= HELD_AT_MOST },
          { what: 'worker CPU', value: cores, unit: 'cores', goal: '≤ 1', met: cores <= 1 },
          { what: 'worker CPU per profile taken in (1 core handles 1000/this per second)', value: (cores * 1000) / rate, unit: 'ms', goal: '≤ 3', met: (cores * 1000) / rate <= 3 },
          { what: 'worker peak RSS (whole run)', value: rss, unit: 'MB', goal: '≤ 300', met: rss <= 300 },
          { what: 'profiles dropped / scrapes failed in the window', value: after.dropped - before.dropped + (after.failures - before.failures), unit: 'count', goal: '0', met: after.dropped === before.dropped && after.failures === before.failures },
        );
      } finally {
        await worker.stop();
      }
      return rows;
    });
  } finally {
    await targets.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printRows(rows: readonly Row[], load: readonly number[]): void {
  const width = Math.max(...rows.map((r) => r.what.length));
  // Targets, Postgres and the worker share this machine's cores with whatever else runs on it.
  console.log(`\nworker: scrape → decode → batch → Postgres, ${MEASURE_S}s window; ${cpus().length} cores, load average ${load.map((l) => l.toFixed(1)).join(' → ')}\n${'figure'.padEnd(width)}  ${'value'.padStart(9)}  unit        goal    result`);
  for (const r of rows) {
    const value = r.value.toFixed(r.value >= 100 ? 1 : 2);
    console.log(`${r.what.padEnd(width)}  ${value.padStart(9)}  ${r.unit.padEnd(10)}  ${r.goal.padEnd(6)}  ${r.met ? 'pass' : 'FAIL'}`);
  }
}

const loadBefore = loadavg()[0];
const rows = await run();
printRows(rows, [loadBefore, loadavg()[0]]);

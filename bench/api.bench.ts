/**
 * HTTP API benchmark (`npm run bench -- api`): `query_range` over 10,000 stored profiles (goal ≤ 100 ms)
 * and `mode=merge` of 60 profiles of issue #5's shape (thousands of functions, ~190 KB raw each: the
 * `medium` synthetic preset) as a flame graph and as pprof (goal ≤ 1.4 s and ≤ 200 MB of
 * added RSS each), shown beside `npx profd merge` of the same files and, when `go` is on PATH,
 * `go tool pprof -proto`. The route handlers are called in-process with real Request objects, the
 * way Next.js calls them (no build needed; the HTTP layer in front is the same for every route),
 * against a scratch database on the Postgres server at PROFD_BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped afterwards.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POST as ingest } from '../app/api/v1/ingest/route';
import { GET as query } from '../app/api/v1/query/route';
import { GET as queryRange } from '../app/api/v1/query_range/route';
import { connect, writeProfiles } from '../lib/db';
import { closeAppDb } from '../lib/query';
import { decodeProfile, encodeProfile, totals } from '../lib/pprof';
import { SYNTHETIC_PRESETS, syntheticProfile } from '../test/helpers/synthetic';
import { printFigures, printTable, runMeasured, which, type BenchRow } from './lib';
import { withScratchDatabase } from './scratch-database';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ORIGIN = 'http://profd.bench';
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const RANGE_SERIES = 100;
const RANGE_PER_SERIES = 100;
const MERGE_COUNT = 60;
const MB = 1024 * 1024;

/** Median wall time of `fn` in ms over `runs` runs after `warmups`, and the largest RSS it added (MB). */
async function measure(fn: () => Promise<unknown>, runs: number, warmups = 2): Promise<{ ms: number; addedRssMb: number | null }> {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  let added: number | null = null;
  for (let i = 0; i < runs; i++) {
    const before = process.memoryUsage().rss;
    const peakKnown = resetPeakRss();
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
    if (peakKnown) added = Math.max(added ?? 0, (peakRss() - before) / MB);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], addedRssMb: added };
}

// Linux lets a process reset its own peak RSS (VmHWM) by writing 5 to clear_refs.
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRss(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return kb ? Number(kb[1]) * 1024 : 0;
}

async function call(handler: (r: Request, c: unknown) => Promise<Response>, path: string, init?: RequestInit): Promise<Response> {
  const response = await handler(new Request(ORIGIN + path, init), { params: Promise.resolve({}) });
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}: ${await response.text()}`);
  return response;
}

/**
 * Stores 10,000 profiles in 100 series (setup, straight through lib/db), then times query_range over
 * all of them. The profile is a real 6 KB Go CPU profile: like real ones, it is over Postgres' 2 KB
 * TOAST threshold, so its blob lives out of line and the totals query never reads it.
 */
async function rangeRows(url: string): Promise<BenchRow[]> {
  const blob = readFileSync(join(ROOT, '../shared/fixtures/pprof/parca__fib.pb.gz'));
  const db = connect(url, { max: 2 });
  const items = Array.from({ length: RANGE_SERIES * RANGE_PER_SERIES }, (_, i) => ({
    labels: { __name__: 'profile', job: 'bench', instance: `host-${i % RANGE_SERIES}:6060` },
    timestampMs: T0 + Math.floor(i / RANGE_SERIES) * 10_000,
    blob,
  }));
  for (let i = 0; i < items.length; i += 500) await writeProfiles(db, items.slice(i, i + 500));
  await db.close();
  const to = T0 + RANGE_PER_SERIES * 10_000;
  const path = `/api/v1/query_range?query=${encodeURIComponent('profile{job="bench"}')}&from=${T0}&to=${to}`;
  const points = (await (await call(queryRange, path)).json()).data.reduce((n: number, s: { timestamps: number[] }) => n + s.timestamps.length, 0);
  const { ms } = await measure(async () => (await call(queryRange, path)).arrayBuffer(), 20, 3);
  console.log(`query_range: ${RANGE_SERIES} series, ${points} profiles in the answer: median ${ms.toFixed(1)} ms`);
  return [{ figure: `query_range over ${points} stored profiles (${RANGE_SERIES} series)`, unit: 'ms', profd: ms, peer: 100, peerName: 'goal', better: 'lower', goal: 1 }];
}

/** Pushes 60 medium profiles through POST /api/v1/ingest and writes the same bytes to files for the CLI and Go. */
async function ingestMergeInputs(dir: string): Promise<string[]> {
  const files: string[] = [];
  const start = performance.now();
  for (let i = 0; i < MERGE_COUNT; i++) {
    const bytes = encodeProfile(syntheticProfile({ ...SYNTHETIC_PRESETS.medium, seed: i + 1 }));
    const file = join(dir, `profile-${String(i).padStart(2, '0')}.pb.gz`);
    writeFileSync(file, bytes);
    files.push(file);
    const params = `series=${encodeURIComponent('profile{job="merge"}')}&timestamp=${T0 + i * 10_000}`;
    await call(ingest, `/api/v1/ingest?${params}`, { method: 'POST', body: bytes as Uint8Array<ArrayBuffer> });
  }
  console.log(`ingest: ${MERGE_COUNT} medium profiles through POST /api/v1/ingest in ${(performance.now() - start).toFixed(0)} ms`);
  return files;
}

async function mergeRows(dir: string): Promise<BenchRow[]> {
  const files = await ingestMergeInputs(dir);
  const range = `query=${encodeURIComponent('profile{job="merge"}')}&from=${T0}&to=${T0 + MERGE_COUNT * 10_000}&mode=merge`;
  const rows: BenchRow[] = [];
  const apiOut = join(dir, 'merged.api.pb.gz');
  let protoMs = NaN;
  for (const report of ['flamegraph', 'proto'] as const) {
    const run = async () => {
      const body = Buffer.from(await (await call(query, `/api/v1/query?${range}&report=${report}`)).arrayBuffer());
      if (report === 'proto') writeFileSync(apiOut, body);
    };
    const { ms, addedRssMb } = await measure(run, 5, 1);
    if (report === 'proto') protoMs = ms;
    console.log(`merge ${MERGE_COUNT} profiles, report=${report}: median ${ms.toFixed(0)} ms, RSS added at most ${addedRssMb?.toFixed(0) ?? '?'} MB`);
    rows.push({ figure: `merge ${MERGE_COUNT} medium profiles, report=${report}`, unit: 'ms', profd: ms, peer: 1400, peerName: 'goal', better: 'lower', goal: 1 });
    rows.push({ figure: '  RSS added during the request', unit: 'MB', profd: addedRssMb ?? NaN, peer: 200, peerName: 'goal', better: 'lower', goal: 1 });
  }
  const cliOut = join(dir, 'merged.cli.pb.gz');
  const cli = runMeasured(process.execPath, [join(ROOT, 'bin/profd.js'), 'merge', '-o', cliOut, ...files]);
  if (cli.status !== 0) throw new Error(`npx profd merge failed: ${cli.stderr}`);
  console.log(`npx profd merge (cold process, tsx start-up included): ${cli.wallMs.toFixed(0)} ms, peak RSS ${cli.maxRssMb?.toFixed(0) ?? '?'} MB`);
  console.log(`totals: API ${totals(decodeProfile(readFileSync(apiOut))).join('/')}, CLI ${totals(decodeProfile(readFileSync(cliOut))).join('/')}`);
  rows.push({ figure: '  the API proto merge beside npx profd merge', unit: 'ms', profd: protoMs, peer: cli.wallMs, peerName: 'npx profd merge', better: 'lower' });
  const go = goMerge(files, join(dir, 'merged.go.pb.gz'));
  if (go !== null) rows.push({ figure: '  the API proto merge beside go tool pprof -proto', unit: 'ms', profd: protoMs, peer: go, peerName: 'go tool pprof', better: 'lower' });
  return rows;
}

/** Wall ms of `go tool pprof -proto` merging the files, or null without Go. */
function goMerge(files: string[], out: string): number | null {
  if (!which('go')) {
    console.log('go is not on PATH: skipping the go tool pprof comparison (apt-get install golang-go)');
    return null;
  }
  const pprof = join(spawnSync('go', ['env', 'GOTOOLDIR'], { encoding: 'utf8' }).stdout.trim(), 'pprof');
  if (!existsSync(pprof)) return null;
  const run = runMeasured(pprof, ['-proto', '-symbolize=none', '-output', out, ...files]);
  if (run.status !== 0) throw new Error(`go tool pprof failed: ${run.stderr}`);
  console.log(`go tool pprof -proto: ${run.wallMs.toFixed(0)} ms, peak RSS ${run.maxRssMb?.toFixed(0) ?? '?'} MB; totals ${totals(decodeProfile(readFileSync(out))).join('/')}`);
  return run.wallMs;
}

const scratch = mkdtempSync(join(tmpdir(), 'profd-bench-api-'));
try {
  await withScratchDatabase('api', async (url) => {
    process.env.DATABASE_URL = url;
    const rows = [...(await rangeRows(url)), ...(await mergeRows(scratch))];
    printTable('HTTP API through the route handlers, real Postgres (ratio > 1× means profd is ahead of the goal or peer)', rows);
    printFigures(rows);
  }, closeAppDb);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

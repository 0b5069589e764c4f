import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Profile as PprofFormatProfile } from 'pprof-format';
import { decodeProfile, encodeProfile, isGzip, ProfileMerger, totals, unwrapProfileBytes } from '../lib/pprof';
import { ProfileMessage } from '../lib/pprof/schema';
import { SYNTHETIC_PRESETS, syntheticProfile } from '../test/helpers/synthetic';
import { freshPageMicros, printFigures, printTable, runMeasured, timeMs, which, type BenchRow } from './lib';

/**
 * pprof decoding and merging against their peers: decode against the npm `pprof-format` package on the
 * same bytes (goal ≥ 20×), and merging 60 large profiles against `go tool pprof -proto` (goal ≥ 10×
 * faster, with a lower peak RSS). Run alone with `npm run bench -- pprof`.
 */
const FIXTURES = fileURLToPath(new URL('../../shared/fixtures/pprof/', import.meta.url));
const DECODE_INPUTS = ['google-pprof__large.cpu', 'datadog-pprof-format__test.pprof', 'dd-trace-go__big-heap.pprof', 'flameshow__heap.out'];
const MERGE_COUNT = 60;
const MB = 1024 * 1024;

function decodeRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  let rawBytes = 0, profdMs = 0, peerMs = 0, protobufjsMs = 0;
  for (const name of DECODE_INPUTS) {
    const bytes = readFileSync(join(FIXTURES, name));
    const raw = unwrapProfileBytes(bytes);
    const profd = timeMs(() => decodeProfile(raw));
    const peer = timeMs(() => PprofFormatProfile.decode(raw));
    const mbps = (ms: number) => (raw.length / MB / (ms / 1000)).toFixed(0);
    console.log(
      `decode ${name}: profd median ${profd.median.toFixed(1)} ms = ${mbps(profd.median)} MB/s (best ${profd.best.toFixed(1)} ms), ` +
        `pprof-format median ${peer.median.toFixed(1)} ms (best ${peer.best.toFixed(1)} ms); best against best ${(peer.best / profd.best).toFixed(1)}×`,
    );
    const figure = `decode ${name} (${(raw.length / 1024).toFixed(0)} KB raw)`;
    rows.push({ figure, unit: 'ms', profd: profd.median, peer: peer.median, peerName: 'pprof-format', better: 'lower', goal: 20 });
    if (isGzip(bytes)) {
      const gunzip = timeMs(() => gunzipSync(bytes)).median;
      const withGunzip = timeMs(() => decodeProfile(bytes)).median;
      const figure = `  the same from gzip (gunzip alone ${gunzip.toFixed(1)} ms)`;
      rows.push({ figure, unit: 'ms', profd: withGunzip, peer: gunzip + peer.median, peerName: 'gunzip + pprof-format', better: 'lower' });
    }
    rawBytes += raw.length;
    profdMs += profd.median;
    peerMs += peer.median;
    protobufjsMs += timeMs(() => ProfileMessage.decode(raw)).median;
  }
  const mbps = (ms: number) => rawBytes / MB / (ms / 1000);
  rows.push({ figure: 'decode throughput, all four inputs', unit: 'MB/s', profd: mbps(profdMs), peer: mbps(peerMs), peerName: 'pprof-format', better: 'higher', goal: 20 });
  rows.push({ figure: '  against protobufjs (wire decode only)', unit: 'MB/s', profd: mbps(profdMs), peer: mbps(protobufjsMs), peerName: 'protobufjs', better: 'higher' });
  return rows;
}

/** Writes MERGE_COUNT large synthetic profiles of one program, as a day of scrapes of one service would be. */
function writeMergeInputs(dir: string): string[] {
  return Array.from({ length: MERGE_COUNT }, (_, i) => {
    const file = join(dir, `profile-${String(i).padStart(2, '0')}.pb.gz`);
    writeFileSync(file, encodeProfile(syntheticProfile({ ...SYNTHETIC_PRESETS.large, seed: i + 1 })));
    return file;
  });
}

/** What the merge child reports: the whole merge and its parts, in milliseconds. */
interface MergeTimes { ms: number; decodeMs: number; mergeMs: number; encodeMs: number }

/** Decodes each file, merges as profd does (one decoded profile held at a time), encodes and writes. */
function mergeFiles(out: string, files: readonly string[]): MergeTimes {
  const start = performance.now();
  let decodeMs = 0;
  let mergeMs = 0;
  const merger = new ProfileMerger();
  for (const file of files) {
    const t0 = performance.now();
    const profile = decodeProfile(readFileSync(file));
    const t1 = performance.now();
    merger.add(profile);
    decodeMs += t1 - t0;
    mergeMs += performance.now() - t1;
  }
  const t2 = performance.now();
  const merged = merger.result();
  const t3 = performance.now();
  writeFileSync(out, encodeProfile(merged));
  const end = performance.now();
  return { ms: end - start, decodeMs, mergeMs: mergeMs + t3 - t2, encodeMs: end - t3 };
}

/**
 * The child process's work. `--warm` merges once untimed first, as profd's long-running server has
 * its code optimised by the time a query merges; without it the figure includes V8's warm-up.
 * `--idle` does nothing, to show the RSS that Node, tsx and the imports take before any merging.
 */
function mergeChild(args: string[]): void {
  if (args[0] === '--idle') return;
  const warm = args[0] === '--warm';
  const [out, ...files] = warm ? args.slice(1) : args;
  if (warm) mergeFiles(out, files);
  console.log(JSON.stringify(mergeFiles(out, files)));
}

function goPprof(): string | null {
  if (!which('go')) return null;
  const toolDir = spawnSync('go', ['env', 'GOTOOLDIR'], { encoding: 'utf8' }).stdout.trim();
  return toolDir ? join(toolDir, 'pprof') : null;
}

/** Sample count and per-type totals of a merged output, to show both tools merged the same thing. */
function summary(file: string): string {
  const profile = decodeProfile(readFileSync(file));
  return `${profile.samples.length} samples, totals ${totals(profile).join('/')}`;
}

function mergeRows(): BenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'profd-bench-'));
  try {
    const files = writeMergeInputs(dir);
    const inputMb = files.reduce((sum, f) => sum + gunzipSync(readFileSync(f)).length, 0) / MB;
    console.log(`\nmerge: ${MERGE_COUNT} synthetic profiles, ${inputMb.toFixed(1)} MB raw in all, in ${dir}`);
    const profdOut = join(dir, 'merged.profd.pb.gz');
    const runProfd = (...mode: string[]) => {
      const run = runMeasured(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--merge-child', ...mode, profdOut, ...files]);
      if (run.status !== 0) throw new Error(`the profd merge child failed: ${run.stderr}`);
      const times = JSON.parse(run.stdout) as MergeTimes;
      const parts = `decode ${times.decodeMs.toFixed(0)} + merge ${times.mergeMs.toFixed(0)} + encode and write ${times.encodeMs.toFixed(0)} ms`;
      console.log(`profd merge, ${mode.length > 0 ? 'warm' : 'cold'} process: ${times.ms.toFixed(0)} ms (${parts}); peak RSS ${run.maxRssMb?.toFixed(0) ?? '?'} MB`);
      return { ms: times.ms, maxRssMb: run.maxRssMb };
    };
    const cold = runProfd();
    const warm = runProfd('--warm');
    const idle = runMeasured(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--merge-child', '--idle']);
    console.log(`an idle child (Node, tsx and the same imports, no work) peaks at ${idle.maxRssMb?.toFixed(0) ?? '?'} MB RSS`);
    console.log(`profd output: ${summary(profdOut)}`);

    const pprof = goPprof();
    let go: ReturnType<typeof runMeasured> | null = null;
    if (pprof === null) console.log('go is not on PATH: skipping the go tool pprof comparison (apt-get install golang-go)');
    else {
      const goOut = join(dir, 'merged.go.pb.gz');
      go = runMeasured(pprof, ['-proto', '-symbolize=none', '-output', goOut, ...files]);
      if (go.status !== 0) throw new Error(`go tool pprof failed: ${go.stderr}`);
      console.log(`go tool pprof merge: ${go.wallMs.toFixed(0)} ms; ${summary(goOut)}`);
    }
    const vsGo = { peer: go?.wallMs ?? null, peerName: 'go tool pprof', better: 'lower', goal: 10 } as const;
    return [
      { figure: `merge ${MERGE_COUNT} large profiles, cold process`, unit: 'ms', profd: cold.ms, ...vsGo },
      { figure: `merge ${MERGE_COUNT} large profiles, warm (as in the server)`, unit: 'ms', profd: warm.ms, ...vsGo },
      { figure: '  peak RSS of the merging process (cold)', unit: 'MB', profd: cold.maxRssMb ?? NaN, peer: go?.maxRssMb ?? null, peerName: 'go tool pprof', better: 'lower', goal: 1 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--merge-child') {
  mergeChild(process.argv.slice(3));
} else {
  console.log(`this machine faults in a fresh memory page in ${freshPageMicros().toFixed(1)} µs (ordinary hardware: ~0.2 µs); decoders that return large models pay it per page`);
  const rows = [...decodeRows(), ...mergeRows()];
  printTable('pprof: decode and merge (decode times are medians; ratio > 1× means profd is ahead)', rows);
  printFigures(rows);
}

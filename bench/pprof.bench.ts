import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { FLAME_GRAPH_NODE_FRACTION } from '../lib/flame/tree';
import { buildCallTree, decodeProfile, defaultSampleIndex, DEFAULT_MAX_PROFILE_BYTES, encodeProfile, encodeProfileAsync, isGzip, ProfileMerger, top, totals, unwrapProfileBytes } from '../lib/pprof';
import { decodeAhead, decodeThreadBundle } from '../lib/threads/decode-thread';
import { bundleForNode, freshPageMicros, loadAverage, median, printFigures, printTable, runMeasured, timeMs, which, type BenchRow, type ChildRun } from './lib';

/**
 * pprof decoding and merging against their peers: decode against the npm `pprof-format` package on the
 * same bytes (goal ≥ 20×), and merging 60 large profiles against `go tool pprof -proto` (goal ≥ 10×
 * faster, with a lower peak RSS). Run alone with `npm run bench -- pprof`.
 *
 * Every figure comes from a child process that runs an esbuild bundle of this file with plain `node`
 * and V8_FLAGS, as profd's own processes run: compiled JavaScript, not TypeScript through tsx. What
 * only the parent or the decode child needs is imported dynamically, so the merge child loads no more
 * than merging does.
 */
const FIXTURES = fileURLToPath(new URL('../../shared/fixtures/pprof/', import.meta.url));
const DECODE_INPUTS = ['google-pprof__large.cpu', 'datadog-pprof-format__test.pprof', 'dd-trace-go__big-heap.pprof', 'flameshow__heap.out'];
const MERGE_COUNT = 60;
/** Processes per cold figure, and timed merges in the warm process: figures are their medians. */
const REPEATS = 5;
const MB = 1024 * 1024;

/**
 * The V8 flags of the children, as profd's own processes should run: semi-spaces of 64 rather than
 * 16 MB let a decoded profile's objects die young instead of being promoted and collected by full
 * GCs. On this bench's machine that took decoding google-pprof__large.cpu from 206 to 119 ms and
 * datadog-pprof-format__test.pprof from 91 to 28 ms, and decoding and merging 60 profiles from
 * 820–900 to 320–475 ms (medians).
 */
const V8_FLAGS = ['--max-semi-space-size=64'];

async function decodeRows(fixtures: string): Promise<BenchRow[]> {
  const { Profile: PprofFormatProfile } = await import('pprof-format');
  const { ProfileMessage } = await import('../lib/pprof/schema');
  const rows: BenchRow[] = [];
  let rawBytes = 0, profdMs = 0, peerMs = 0, protobufjsMs = 0;
  for (const name of DECODE_INPUTS) {
    const bytes = readFileSync(join(fixtures, name));
    const raw = unwrapProfileBytes(bytes);
    // One after the other, not alternating: in one heap, each decoder's runs would then pay for
    // collecting the other's garbage, and pprof-format's object graphs are most of it (alternating
    // took profd's median on google-pprof__large.cpu from 9 to 22 ms, its best staying at 9).
    const profd = timeMs(() => decodeProfile(raw));
    const peer = timeMs(() => PprofFormatProfile.decode(raw));
    const mbps = (ms: number) => (raw.length / MB / (ms / 1000)).toFixed(0);
    console.log(
      `decode ${name}: profd median ${profd.median.toFixed(1)} ms = ${mbps(profd.median)} MB/s (best ${profd.best.toFixed(1)} ms), ` +
        `pprof-format median ${peer.median.toFixed(1)} ms (best ${peer.best.toFixed(1)} ms); best against best ${(peer.best / profd.best).toFixed(1)}×`,
    );
    const figure = `decode ${name} (${(raw.length / 1024).toFixed(0)} KB raw)`;
    rows.push({ figure, unit: 'ms', profd: profd.median, peer: peer.median, peerName: 'pprof-format', better: 'lower', goal: 20 });
    // decodeProfile keeps samples as columns that top and the call tree read: these show the user's whole path.
    const withTop = timeMs(() => top(decodeProfile(raw))).median;
    const withTree = timeMs(() => {
      const profile = decodeProfile(raw);
      return buildCallTree(profile, defaultSampleIndex(profile));
    }).median;
    rows.push({ figure: '  decode + top', unit: 'ms', profd: withTop, peer: peer.median, peerName: 'pprof-format decode alone', better: 'lower' });
    rows.push({ figure: '  decode + call tree', unit: 'ms', profd: withTree, peer: peer.median, peerName: 'pprof-format decode alone', better: 'lower' });
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

/**
 * The merge inputs: `large` is the shape issue #2 names (thousands of functions, deep stacks, tens of
 * thousands of samples; about google-pprof's large.cpu), on which the goals are judged; `medium`, a
 * tenth of its samples, is shown for reference, since the ratio to Go depends on the shape: Go's
 * merge slows more than linearly as distinct samples grow.
 */
type MergeShape = 'large' | 'medium';

/** Writes MERGE_COUNT synthetic profiles of one program, as a day of scrapes of one service would be. */
async function writeMergeInputs(dir: string, shape: MergeShape): Promise<string[]> {
  const { SYNTHETIC_PRESETS, syntheticProfile } = await import('../test/helpers/synthetic');
  return Array.from({ length: MERGE_COUNT }, (_, i) => {
    const file = join(dir, `${shape}-${String(i).padStart(2, '0')}.pb.gz`);
    writeFileSync(file, encodeProfile(syntheticProfile({ ...SYNTHETIC_PRESETS[shape], seed: i + 1 })));
    return file;
  });
}

/** What the merge child reports for one merge: the whole and its parts, in milliseconds. */
interface MergeTimes { ms: number; addMs: number; resultMs: number; encodeMs: number }

/**
 * Merges the files and writes the result as profd's server does (lib/query/merge.ts): by default
 * decoding a few files ahead on the decoding thread and adding each from its columns, never building
 * an input's model; with `oneThread`, decoding each on this thread instead, the merge's peer without
 * a decoding thread.
 */
async function mergeFiles(out: string, files: readonly string[], oneThread: boolean): Promise<MergeTimes> {
  const start = performance.now();
  const merger = new ProfileMerger();
  if (oneThread) for (const file of files) merger.add(decodeProfile(readFileSync(file)));
  else for await (const { profile } of decodeAhead(files, (file) => readFileSync(file), DEFAULT_MAX_PROFILE_BYTES)) merger.add(await profile);
  const added = performance.now();
  const merged = merger.result();
  const built = performance.now();
  writeFileSync(out, await encodeProfileAsync(merged));
  const end = performance.now();
  return { ms: end - start, addMs: added - start, resultMs: built - added, encodeMs: end - built };
}

/** What the warm merge child reports: the times of merges with the decoding thread, and without. */
interface WarmTimes { threaded: MergeTimes[]; oneThread: MergeTimes[] }

/**
 * The merge child: `[--warm] OUT FILE...` prints the times of one merge as JSON; with `--warm`, a
 * WarmTimes of REPEATS merges each way after two untimed ones, as in profd's long-running server,
 * whose code V8 has optimised by the time a query merges. The two ways alternate, so a slower spell
 * of the machine falls on both: in separate processes, their medians differed by ±30% from run to run
 * of the bench here. `--idle` does nothing, to show what Node itself takes.
 */
async function mergeChild(args: string[]): Promise<void> {
  if (args[0] === '--idle') return;
  const [out, ...files] = args.filter((a) => !a.startsWith('--'));
  if (!args.includes('--warm')) {
    console.log(JSON.stringify(await mergeFiles(out, files, false)));
    return;
  }
  const times: WarmTimes = { threaded: [], oneThread: [] };
  for (let i = 0; i < REPEATS + 2; i++) {
    const threaded = await mergeFiles(out, files, false);
    const oneThread = await mergeFiles(out, files, true);
    if (i < 2) continue;
    times.threaded.push(threaded);
    times.oneThread.push(oneThread);
  }
  console.log(JSON.stringify(times));
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

/** Runs the bundle in a child with profd's V8 flags; throws when it fails. */
function runChild(bundle: string, args: readonly string[]): ChildRun {
  const run = runMeasured(process.execPath, [...V8_FLAGS, bundle, ...args]);
  if (run.status !== 0) throw new Error(`the bench child ${args[0]} failed: ${run.stderr}`);
  return run;
}

/** Median wall time and peak RSS of runs of a command. */
function medianOfRuns(runs: readonly ChildRun[]): { wallMs: number; maxRssMb: number | null; last: ChildRun } {
  const rss = runs.map((r) => r.maxRssMb).filter((m) => m !== null);
  return { wallMs: median(runs.map((r) => r.wallMs)), maxRssMb: rss.length > 0 ? median(rss) : null, last: runs[runs.length - 1] };
}

const parts = (t: MergeTimes) => `add ${t.addMs.toFixed(0)} + result ${t.resultMs.toFixed(0)} + encode and write ${t.encodeMs.toFixed(0)} ms`;

async function mergeRows(bundle: string, dir: string, shape: MergeShape): Promise<BenchRow[]> {
  const files = await writeMergeInputs(dir, shape);
  const inputMb = files.reduce((sum, f) => sum + gunzipSync(readFileSync(f)).length, 0) / MB;
  console.log(`\nmerge: ${MERGE_COUNT} ${shape} synthetic profiles (${describeShape(files[0])} each), ${inputMb.toFixed(1)} MB raw in all; figures are medians of ${REPEATS}`);
  const profdOut = join(dir, `merged-${shape}.profd.pb.gz`);
  const pprof = goPprof();
  const goOut = join(dir, `merged-${shape}.go.pb.gz`);
  // Each cold run of profd is followed by one of Go, so a slower spell of the machine falls on both.
  const coldRuns: ChildRun[] = [];
  const goRuns: ChildRun[] = [];
  for (let i = 0; i < REPEATS; i++) {
    coldRuns.push(runChild(bundle, ['--merge-child', profdOut, ...files]));
    if (pprof !== null) goRuns.push(runMeasured(pprof, ['-proto', '-symbolize=none', '-output', goOut, ...files]));
  }
  const cold = medianOfRuns(coldRuns);
  const coldTimes = JSON.parse(cold.last.stdout) as MergeTimes;
  console.log(`profd, cold process: ${cold.wallMs.toFixed(0)} ms from process start to exit (last run's merge ${coldTimes.ms.toFixed(0)} ms: ${parts(coldTimes)}); peak RSS ${cold.maxRssMb?.toFixed(0) ?? '?'} MB`);
  const warmRuns = JSON.parse(runChild(bundle, ['--merge-child', '--warm', profdOut, ...files]).stdout) as WarmTimes;
  const warm = [...warmRuns.threaded].sort((a, b) => a.ms - b.ms)[Math.floor(REPEATS / 2)];
  console.log(`profd, warm process: ${warm.ms.toFixed(0)} ms (${parts(warm)})`);
  console.log(`profd output: ${summary(profdOut)}`);

  let go: ReturnType<typeof medianOfRuns> | null = null;
  if (pprof === null) console.log('go is not on PATH: skipping the go tool pprof comparison (apt-get install golang-go)');
  else {
    go = medianOfRuns(goRuns);
    if (go.last.status !== 0) throw new Error(`go tool pprof failed: ${go.last.stderr}`);
    console.log(`go tool pprof: ${go.wallMs.toFixed(0)} ms; peak RSS ${go.maxRssMb?.toFixed(0) ?? '?'} MB; ${summary(goOut)}`);
  }
  const goal = shape === 'large' ? { goal: 10 } : {};
  const vsGo = { peer: go?.wallMs ?? null, peerName: 'go tool pprof', better: 'lower', ...goal } as const;
  const rows: BenchRow[] = [
    { figure: `merge ${MERGE_COUNT} ${shape} profiles, cold process (start to exit)`, unit: 'ms', profd: cold.wallMs, ...vsGo },
    { figure: `merge ${MERGE_COUNT} ${shape} profiles, warm (as in the server)`, unit: 'ms', profd: warm.ms, ...vsGo },
  ];
  if (shape === 'large') {
    const oneThread = median(warmRuns.oneThread.map((t) => t.ms));
    rows.push({ figure: '  the same on one thread, no decoding thread (warm)', unit: 'ms', profd: oneThread, peer: go?.wallMs ?? null, peerName: 'go tool pprof', better: 'lower' });
    const callTreeMs = JSON.parse(runChild(bundle, ['--calltree-child', profdOut]).stdout) as { full: number; flameGraph: number };
    rows.push({ figure: `call tree of the merged ${MERGE_COUNT} large (decoded)`, unit: 'ms', profd: callTreeMs.full, peer: null, better: 'lower' });
    rows.push({ figure: `  at the UI's node fraction (${FLAME_GRAPH_NODE_FRACTION})`, unit: 'ms', profd: callTreeMs.flameGraph, peer: null, better: 'lower' });
  }
  rows.push({ figure: '  peak RSS of the merging process (cold)', unit: 'MB', profd: cold.maxRssMb ?? NaN, peer: go?.maxRssMb ?? null, peerName: 'go tool pprof', better: 'lower', ...(shape === 'large' ? { goal: 1 } : {}) });
  return rows;
}

/**
 * The call-tree child: `FILE` prints the median ms of buildCallTree on the decoded file, whole and at
 * the node fraction the UI's flame graph of a merged range asks for.
 */
function callTreeChild(file: string): void {
  const profile = decodeProfile(readFileSync(file));
  const ms = (nodeFraction: number) => timeMs(() => buildCallTree(profile, defaultSampleIndex(profile), { nodeFraction }), 0, REPEATS).median;
  console.log(JSON.stringify({ full: ms(0), flameGraph: ms(FLAME_GRAPH_NODE_FRACTION) }));
}

/** Samples and locations of one input, to say what "large" means in the output. */
function describeShape(file: string): string {
  const profile = decodeProfile(readFileSync(file));
  return `${profile.samples.length} samples, ${profile.locations.length} locations, ${profile.functions.length} functions, ${(gunzipSync(readFileSync(file)).length / 1024).toFixed(0)} KB raw`;
}

/** The parent: bundles this file, runs the children and prints the table. */
async function main(): Promise<void> {
  console.log(`this machine faults in a fresh memory page in ${freshPageMicros().toFixed(1)} µs (ordinary hardware: ~0.2 µs); decoders that return large models pay it per page`);
  console.log(`before: ${loadAverage()}; children run node ${V8_FLAGS.join(' ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'profd-bench-'));
  try {
    const bundle = await bundleForNode(fileURLToPath(import.meta.url), dir);
    // Built here, where esbuild runs, rather than by a child: its API needs __filename, which the
    // children's ES module bundle lacks.
    await decodeThreadBundle();
    const decode = runChild(bundle, ['--decode-child', FIXTURES]).stdout.trimEnd().split('\n');
    console.log(decode.slice(0, -1).join('\n'));
    const idle = medianOfRuns(Array.from({ length: REPEATS }, () => runChild(bundle, ['--merge-child', '--idle'])));
    console.log(`\nan idle child (Node and the bundle, no work) takes ${idle.wallMs.toFixed(0)} ms, the start-up part of each cold figure, and peaks at ${idle.maxRssMb?.toFixed(0) ?? '?'} MB RSS`);
    const merges = [...(await mergeRows(bundle, dir, 'large')), ...(await mergeRows(bundle, dir, 'medium'))];
    const rows = [...(JSON.parse(decode[decode.length - 1]) as BenchRow[]), ...merges];
    printTable('pprof: decode and merge (medians; ratio > 1× means profd is ahead)', rows);
    printFigures(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`after: ${loadAverage()}`);
}

if (process.argv[2] === '--merge-child') await mergeChild(process.argv.slice(3));
else if (process.argv[2] === '--calltree-child') callTreeChild(process.argv[3]);
else if (process.argv[2] === '--decode-child') console.log(JSON.stringify(await decodeRows(process.argv[3])));
else await main();

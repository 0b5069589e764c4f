import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { build } from 'esbuild';
import { sourceLocated } from '../lib/bundle/source-located';

/**
 * Shared helpers for `bench/*.bench.ts`. A bench is a module that does its work when run and prints
 * a table of rows: profd's figure, the peer's figure on the same work, their ratio and the goal.
 */

/** One line of a bench table. `better` says which direction wins; `goal` is the ratio to reach. */
export interface BenchRow {
  figure: string;
  unit: string;
  profd: number;
  peer: number | null;
  peerName?: string;
  better: 'higher' | 'lower';
  goal?: number;
}

/** How many times better profd is than the peer: above 1 means profd wins. */
export function ratioOf(row: BenchRow): number | null {
  if (row.peer === null || row.peer === 0 || row.profd === 0) return null;
  return row.better === 'higher' ? row.profd / row.peer : row.peer / row.profd;
}

/** True, false, or null when the row has no goal or no peer figure. */
export function meetsGoal(row: BenchRow): boolean | null {
  const ratio = ratioOf(row);
  return row.goal === undefined || ratio === null ? null : ratio >= row.goal;
}

const number = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

/** Prints rows as an aligned table under a title. */
export function printTable(title: string, rows: readonly BenchRow[]): void {
  const header = ['figure', 'unit', 'profd', 'peer', 'vs', 'ratio', 'goal', 'result'];
  const cells = rows.map((row) => {
    const ratio = ratioOf(row);
    const pass = meetsGoal(row);
    return [
      row.figure, row.unit, number(row.profd), row.peer === null ? '–' : number(row.peer), row.peerName ?? '',
      ratio === null ? '–' : `${ratio.toFixed(1)}×`, row.goal === undefined ? '' : `≥ ${row.goal}×`,
      pass === null ? '' : pass ? 'pass' : 'FAIL',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i >= 2 && i <= 5 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ');
  console.log(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const c of cells) console.log(line(c));
}

/** The median of some numbers: the middle one, or the mean of the middle two. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The machine's load averages, to print beside figures that other processes can slow down. */
export function loadAverage(): string {
  return `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')} on ${availableParallelism()} cores`;
}

/**
 * Bundles `entry` and what it imports into one ES module in `outDir`, for child processes that run it
 * with plain `node`: production runs compiled JavaScript, so figures leave out tsx's compile time and
 * its ~40 MB. `import.meta.url` then names the bundle, so children take paths as arguments; lib/
 * modules that find files beside their source still do (the sourceLocated plugin).
 */
export async function bundleForNode(entry: string, outDir: string): Promise<string> {
  const outfile = join(outDir, basename(entry).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', plugins: [sourceLocated],
    // CommonJS packages inside an ES module bundle still call require() for Node's modules.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return outfile;
}

/** Wall times of repeated runs, in milliseconds. */
export interface Timing {
  median: number;
  best: number;
}

/**
 * Times `fn` over at least `minRuns` runs and about `budgetMs` of running, after warm-up runs so V8
 * has optimised the code. The median is the figure to quote; the best run shows the cost without
 * interference from other processes. (Forcing a collection between runs was tried and made every
 * figure worse: V8 then shrinks the heap and the next run pays page faults to grow it again.)
 */
export function timeMs(fn: () => unknown, budgetMs = 1500, minRuns = 7): Timing {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  const deadline = performance.now() + budgetMs;
  while (times.length < minRuns || performance.now() < deadline) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], best: times[0] };
}

/**
 * Microseconds to fault in one fresh 4 KiB page: about 0.2 on ordinary hardware, far more on some
 * virtual machines, where it dominates any benchmark whose result is a large object graph.
 */
export function freshPageMicros(): number {
  const bytes = 32 * 1024 * 1024;
  const start = performance.now();
  const buffer = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 4096) buffer[i] = 1;
  return ((performance.now() - start) * 1000) / (bytes / 4096);
}

/** The full path of an executable on PATH, or null. */
export function which(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // Not in this directory; keep looking.
    }
  }
  return null;
}

/** What a measured child process did: its exit status, output, wall time and peak RSS (null if unknown). */
export interface ChildRun {
  status: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  maxRssMb: number | null;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs a command to completion, measuring wall time and, through GNU time when it is installed, the
 * peak resident set size of the process (the largest of its descendants, not their sum).
 */
export function runMeasured(command: string, args: readonly string[]): ChildRun {
  const timed = canRun(GNU_TIME);
  const [file, argv] = timed ? [GNU_TIME, ['-f', 'maxrss_kb=%M', command, ...args]] : [command, [...args]];
  const start = performance.now();
  const child = spawnSync(file, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - start;
  const rss = /maxrss_kb=(\d+)\s*$/.exec(child.stderr ?? '');
  return {
    status: child.status,
    stdout: child.stdout ?? '',
    stderr: rss ? child.stderr.slice(0, rss.index) : child.stderr ?? '',
    wallMs,
    maxRssMb: rss ? Number(rss[1]) / 1024 : null,
  };
}

function canRun(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Ends a bench's output with one line per goal: the figures a reader looks for first. */
export function printFigures(rows: readonly BenchRow[]): void {
  const goals = rows.filter((row) => meetsGoal(row) !== null);
  if (goals.length === 0) return;
  console.log('\nfigures:');
  for (const row of goals) {
    const ratio = ratioOf(row) as number;
    console.log(`  ${row.figure}: ${number(row.profd)} ${row.unit} vs ${number(row.peer as number)} ${row.unit} (${row.peerName}): ${ratio.toFixed(1)}×, goal ≥ ${row.goal}× ${meetsGoal(row) ? 'pass' : 'FAIL'}`);
  }
}

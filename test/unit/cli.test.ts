import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeProfile, totals } from '../../lib/pprof';
import { fixturePath, readExpected, readFixture } from '../helpers/fixtures';

/** The `profd` CLI run as users run it: `node bin/profd.js …`, as a child process. */

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'profd-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function profd(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/profd.js', ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CPU = fixturePath('google-pprof__sample.cpu');
const HEAP = fixturePath('parca__alloc_objects.pb.gz');
const DIFF = fixturePath('conprof__diff.pb.gz');

/** The rows of a printed top table as [flat, cum, name]. */
function tableRows(stdout: string): [string, string, string][] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => l.trim().startsWith('flat  flat%'));
  return lines.slice(header + 1).filter(Boolean).map((line) => {
    const [, flat, cum, name] = /^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s{2}(.+)$/.exec(line)!;
    return [flat, cum, name];
  });
}

describe('profd top', () => {
  it.each([
    { file: 'google-pprof__sample.cpu', index: 0 },
    { file: 'conprof__diff.pb.gz', index: 2 },
    { file: 'datadog-pprof-format__test.pprof', index: 1 },
  ])('prints the rows go tool pprof prints for $file, sample index $index', ({ file, index }) => {
    const want = readExpected(file).tops.find((t) => t.sampleIndex === index)!;
    const { status, stdout } = profd('top', '-n', '5', '--sample-index', String(index), fixturePath(file));
    expect(status).toBe(0);
    expect(tableRows(stdout)).toEqual(want.rows.map((r) => [String(r.flat), String(r.cum), r.name]));
    expect(stdout).toContain(`of ${want.total} total`);
    expect(stdout).toContain(`Showing top 5 nodes out of ${want.nodeCount}`);
  });

  it('prints time in one readable unit for the whole table, like pprof', () => {
    const { stdout } = profd('top', '-n', '2', CPU);
    expect(stdout).toContain('Showing nodes accounting for 1430ms, 81.25% of 1760ms total');
    expect(tableRows(stdout)).toEqual([['1280ms', '1370ms', 'runtime.mapiternext'], ['150ms', '1760ms', 'main.busyLoop']]);
  });

  it('merges several files first', () => {
    const { status, stdout } = profd('top', '-n', '1', '--sample-index', 'samples', CPU, CPU);
    expect(status).toBe(0);
    expect(tableRows(stdout)).toEqual([['256', '274', 'runtime.mapiternext']]);
  });
});

describe('profd merge and diff', () => {
  it('merge writes a profile with the totals of its inputs added', () => {
    const out = join(scratch, 'merged.pb.gz');
    expect(profd('merge', '-o', out, HEAP, HEAP).status).toBe(0);
    expect(totals(decodeProfile(readFileSync(out)))).toEqual(totals(decodeProfile(readFixture('parca__alloc_objects.pb.gz'))).map((t) => 2 * t));
  });

  it('diff of a profile against itself leaves nothing', () => {
    const out = join(scratch, 'diff.pb.gz');
    expect(profd('diff', '-o', out, CPU, CPU).status).toBe(0);
    const diff = decodeProfile(readFileSync(out));
    expect(diff.samples).toEqual([]);
    expect(diff.sampleTypes).toEqual(decodeProfile(readFixture('google-pprof__sample.cpu')).sampleTypes);
  });
});

describe('profd info and folded', () => {
  it('info names the sample types, the default one, counts and totals', () => {
    const { status, stdout } = profd('info', HEAP);
    expect(status).toBe(0);
    expect(stdout).toMatch(/alloc_space\/bytes\s+108\.07GB \(116044559690\)\s+\[default\]/);
    expect(stdout).toContain('Samples: 4661, locations: 1886, functions: 974, mappings: 3');
    expect(stdout).toContain('Period: 512kB of space/bytes');
  });

  it('folded prints one stack per line whose values add up to the total', () => {
    const { status, stdout } = profd('folded', '--sample-index', 'cpu', CPU);
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toContain('runtime.main;main.main;main.busyLoop;math.Abs 110000000');
    expect(lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)).toBe(1760000000);
  });
});

describe('profd errors', () => {
  const empty = join(scratch, 'empty.pprof');
  writeFileSync(empty, '');

  it.each([
    { what: 'an unknown command', args: ['frobnicate', CPU], status: 2, stderr: /unknown command "frobnicate"; commands: info, top, merge, diff, folded/ },
    { what: 'no command', args: [], status: 2, stderr: /no command given/ },
    { what: 'an unknown flag', args: ['top', '--frob', CPU], status: 2, stderr: /top: Unknown option '--frob'/ },
    { what: 'a row count that is not a number', args: ['top', '-n', 'ten', CPU], status: 2, stderr: /-n must be a whole number above 0, not "ten"/ },
    { what: 'no file', args: ['top'], status: 2, stderr: /top takes at least 1 file, got 0/ },
    { what: 'diff with one file', args: ['diff', '-o', 'x', CPU], status: 2, stderr: /diff takes 2 files, got 1/ },
    { what: 'merge without -o', args: ['merge', CPU, CPU], status: 2, stderr: /-o OUT is required/ },
    { what: 'a missing file', args: ['top', 'no/such/file.pb.gz'], status: 1, stderr: /no\/such\/file\.pb\.gz: no such file/ },
    { what: 'a legacy-format file', args: ['info', fixturePath('google-pprof__cppbench.heap')], status: 1, stderr: /google-pprof__cppbench\.heap: a legacy heap profile .*go tool pprof -proto/ },
    { what: 'an empty file', args: ['info', empty], status: 1, stderr: /empty\.pprof: empty input/ },
    { what: 'a sample type the profile lacks', args: ['top', '--sample-index', 'alloc_space', CPU], status: 1, stderr: /sample type "alloc_space" is not in the profile/ },
    { what: 'merging a CPU with a heap profile', args: ['merge', '-o', join(scratch, 'never.pb.gz'), CPU, HEAP], status: 1, stderr: /alloc_objects\.pb\.gz: cannot merge profiles with sample types/ },
    { what: 'an output path that cannot be written', args: ['merge', '-o', join(scratch, 'missing-dir', 'out.pb.gz'), CPU], status: 1, stderr: /out\.pb\.gz: cannot write/ },
  ])('$what: exits $status and says why', ({ args, status, stderr }) => {
    const result = profd(...args);
    expect(result.stderr).toMatch(stderr);
    expect(result.status).toBe(status);
    expect(result.stdout).toBe('');
  });

  it('--help explains each command and exits 0', () => {
    const all = profd('--help');
    expect(all.status).toBe(0);
    expect(all.stdout).toContain('profd top [-n N] [--sample-index T] FILE...');
    const one = profd('diff', '--help');
    expect(one.stdout).toMatch(/^usage: profd diff -o OUT BASE OTHER/);
  });

  it('diff of profiles of different kinds names both files', () => {
    const result = profd('diff', '-o', join(scratch, 'never.pb.gz'), DIFF, CPU);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/conprof__diff\.pb\.gz, .*google-pprof__sample\.cpu: cannot merge/);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as query } from '../../app/api/v1/query/route';
import { buildDiffCallTree, decodeProfile, top, totals } from '../../lib/pprof';
import { call, get, ingestFixture, qs, useApiDatabase } from '../helpers/api';
import { forEachDatabase } from '../helpers/db';
import { fixturePath, readExpected, readFixture } from '../helpers/fixtures';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const MIN = 60_000;
const MANY = ['1644509272337470000', '1644509275338070000', '1644509278338696000', '1644509281339135000', '1644509284338649000'].map(
  (nanos) => `parca__many-${nanos}.pb.gz`,
);
const HEAP = 'heap{job="api"}';
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'profd-api-query-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `npx profd ARGS… -o OUT` and returns OUT decoded: what the API must agree with. */
function profdCli(command: string, files: string[]): ReturnType<typeof decodeProfile> {
  const out = join(scratch, `${command}-${files.length}.pb.gz`);
  const run = spawnSync(process.execPath, ['bin/profd.js', command, '-o', out, ...files.map(fixturePath)], { cwd: REPO, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return decodeProfile(readFileSync(out));
}

const ask = (params: Record<string, string | number>) => get(query, `/api/v1/query${qs(params)}`);
const merge = { mode: 'merge', query: HEAP, from: T0, to: T0 + 10 * MIN };

describe('GET /api/v1/query', () => {
  forEachDatabase((db) => {
    useApiDatabase(db);
    beforeAll(async () => {
      for (const [i, file] of MANY.entries()) await ingestFixture(file, 'heap{job="api", instance="a:1"}', T0 + i * MIN);
      await ingestFixture('google-pprof__sample.cpu', 'profile{job="api", instance="a:1"}', T0);
    });

    it('mode=single report=top: the profile at or after time, with pprof\'s numbers', async () => {
      const reply = await ask({ query: HEAP, time: T0 + 30_000, report: 'top' });
      const expected = readExpected(MANY[1]).tops.find((t) => t.sampleIndex === 3)!;
      const data = reply.json.data;
      expect(data.labels[0]).toBe(`Profile: heap{instance="a:1", job="api"} at ${new Date(T0 + MIN).toISOString()}`);
      expect(data.labels).toContain('Type: inuse_space');
      expect(data).toMatchObject({ sampleType: 'inuse_space/bytes', total: expected.total });
      const rows = data.items.slice(0, expected.rows.length).map((i: { name: string; inlineLabel?: string; flat: number; cum: number }) => (
        { name: i.name + (i.inlineLabel ?? ''), flat: i.flat, cum: i.cum }));
      expect(rows).toEqual(expected.rows);
      expect(data.items[0].flatFormat).toMatch(/^\d+(\.\d+)?[kMG]?B$/);
    });

    it('mode=single looks no further than 5 minutes after time: nothing there is empty data and a warning', async () => {
      const reply = await ask({ query: HEAP, time: T0 + 5 * MIN, report: 'top' });
      expect(reply.status).toBe(200);
      expect(reply.json.data).toEqual({ labels: [], sampleType: '', total: 0, items: [] });
      expect(reply.json.warnings).toEqual([`no profile matches heap{job="api"} from ${new Date(T0 + 5 * MIN).toISOString()} to 5m later`]);
    });

    it('mode=merge report=proto equals `npx profd merge` of the same files', async () => {
      const reply = await ask({ ...merge, report: 'proto' });
      expect(reply.headers.get('content-disposition')).toBe('attachment; filename=profile.pb.gz');
      const api = decodeProfile(reply.bytes);
      const cli = profdCli('merge', MANY);
      expect(totals(api)).toEqual(totals(cli));
      for (const sampleType of [0, 1, 2, 3]) expect(top(api, { sampleType })).toEqual(top(cli, { sampleType }));
      expect(api.samples.length).toBe(cli.samples.length);
    });

    it('mode=diff subtracts side a from side b, as `npx profd diff` does', async () => {
      const sides = { mode: 'diff', mode_a: 'single', query_a: HEAP, time_a: T0, mode_b: 'single', query_b: HEAP, time_b: T0 + 4 * MIN };
      const api = decodeProfile((await ask({ ...sides, report: 'proto' })).bytes);
      const cli = profdCli('diff', [MANY[0], MANY[4]]);
      expect(totals(api)).toEqual(totals(cli));
      expect(top(api)).toEqual(top(cli));
      const labels = (await ask({ ...sides, report: 'top' })).json.data.labels;
      expect(labels.slice(0, 3)).toEqual([
        `a: Profile: heap{instance="a:1", job="api"} at ${new Date(T0).toISOString()}`,
        `b: Profile: heap{instance="a:1", job="api"} at ${new Date(T0 + 4 * MIN).toISOString()}`,
        'Diff: b minus a',
      ]);
    });

    it('mode=diff report=flamegraph carries both sides: total is b minus a, base is side a', async () => {
      const sides = { mode: 'diff', mode_a: 'single', query_a: HEAP, time_a: T0, mode_b: 'merge', query_b: HEAP, from_b: T0 + MIN, to_b: T0 + 10 * MIN };
      const data = (await ask({ ...sides, report: 'flamegraph', sample_index: 'alloc_space' })).json.data;
      const [a, ...b] = MANY.map((file) => decodeProfile(readFixture(file)));
      const merged = profdCli('merge', MANY.slice(1));
      const { description, sampleTypes, defaultSampleType, ...tree } = data;
      expect(tree).toEqual(buildDiffCallTree(a, merged, 1));
      expect([tree.base[0], tree.total[0] + tree.base[0]]).toEqual([totals(a)[1], b.reduce((sum, p) => sum + totals(p)[1], 0)]);
      expect(description.at(-1)).toBe('Diff: b minus a');
      expect({ sampleTypes, defaultSampleType }).toEqual({ sampleTypes: expect.arrayContaining(['alloc_space/bytes']), defaultSampleType: 'inuse_space/bytes' });
    });

    it('mode=diff report=flamegraph with a side that matched nothing counts that side as zeros', async () => {
      const sides = { mode: 'diff', mode_a: 'single', query_a: HEAP, time_a: T0, mode_b: 'single', query_b: HEAP, time_b: T0 + 60 * MIN };
      const reply = await ask({ ...sides, report: 'flamegraph' });
      const tree = reply.json.data;
      expect(tree.base[0]).toBe(totals(decodeProfile(readFixture(MANY[0])))[3]);
      expect(tree.total.map((total: number, node: number) => total + tree.base[node]).every((after: number) => after === 0)).toBe(true);
      expect(reply.json.warnings).toEqual([expect.stringMatching(/^b: no profile matches/)]);
    });

    it('report=meta lists the sample types and the default', async () => {
      expect((await ask({ ...merge, report: 'meta' })).json.data).toEqual({
        sampleTypes: ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'],
        defaultSampleType: 'inuse_space/bytes',
      });
    });

    it('report=flamegraph is the call tree of the chosen sample type, trimmed by node_fraction', async () => {
      const full = (await ask({ ...merge, report: 'flamegraph', sample_index: 'alloc_space' })).json.data;
      const cli = profdCli('merge', MANY);
      expect(full.sampleType).toEqual({ type: 'alloc_space', unit: 'bytes' });
      expect(full.total[0]).toBe(totals(cli)[1]);
      expect(full.trimmedSubtrees).toBe(0);
      const trimmed = (await ask({ ...merge, report: 'flamegraph', sample_index: 'alloc_space', node_fraction: 0.1 })).json.data;
      expect(trimmed.trimmedSubtrees).toBeGreaterThan(0);
      expect(trimmed.name.length).toBeLessThan(full.name.length);
    });

    it('report=folded is the text `npx profd folded` prints', async () => {
      const reply = await ask({ mode: 'single', query: 'profile', time: T0, report: 'folded', sample_index: 'samples' });
      expect(reply.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      const args = ['bin/profd.js', 'folded', '--sample-index', 'samples', fixturePath('google-pprof__sample.cpu')];
      const cli = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8' });
      expect(reply.text).toBe(cli.stdout);
      const lines = reply.text.trim().split('\n');
      expect(lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0)).toBe(readExpected('google-pprof__sample.cpu').tops[0].total);
    });

    it('stops a merge whose client has gone away', async () => {
      const gone = new AbortController();
      gone.abort();
      const reply = await call(query, new Request(`http://profd.test/api/v1/query${qs(merge)}`, { signal: gone.signal }));
      expect(reply.status).toBe(499);
    });

    it('refuses to merge profiles of different sample types, naming both', async () => {
      const reply = await ask({ mode: 'merge', query: '{job="api"}', from: T0, to: T0 + 10 * MIN });
      expect(reply.status).toBe(400);
      const at = new Date(T0).toISOString();
      expect(reply.json.error).toContain(
        `the selector matches profiles that cannot be merged: heap{instance="a:1", job="api"} at ${at} and profile{instance="a:1", job="api"} at ${at} differ ` +
          '(cannot merge profiles with sample types [alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes] and [samples/count cpu/nanoseconds]',
      );
    });

    it('refuses a merge through a stored profile that no longer decodes, naming it, and keeps what is stored', async () => {
      const series = 'heap{job="damaged", instance="a:1"}';
      for (const [i, file] of MANY.slice(0, 3).entries()) await ingestFixture(file, series, T0 + i * MIN);
      const damagedAt = new Date(T0 + MIN).toISOString();
      // Cut short inside its gzip stream, as a disk or a bug might leave it.
      await db().db.orm.execute(sql`update samples set blob = substring(blob from 1 for 60)
        where ts = ${damagedAt} and series_id in (select id from series where labels->>'job' = 'damaged')`);
      const damaged = { mode: 'merge', query: 'heap{job="damaged"}', from: T0, to: T0 + 10 * MIN };
      const reply = await ask({ ...damaged, report: 'top' });
      expect([reply.status, reply.json.errorType]).toEqual([422, 'execution']);
      expect(reply.json.error).toMatch(new RegExp(`^the stored profile heap\\{instance="a:1", job="damaged"\\} at ${damagedAt} cannot be read: .*gzip`));
      const before = await ask({ ...damaged, to: T0 + MIN - 1, report: 'top' });
      expect(before.json.data.labels[0]).toMatch(/^Merged: 1 profiles? of /);
      const after = await ask({ ...damaged, from: T0 + MIN + 1, report: 'top' });
      expect(after.json.data.labels[0]).toMatch(/^Merged: 1 profiles? of /);
    });

    it.each(['top', 'flamegraph'])('refuses to diff a heap profile against a CPU profile (report=%s)', async (report) => {
      const reply = await ask({ mode: 'diff', mode_a: 'single', query_a: HEAP, time_a: T0, mode_b: 'single', query_b: 'profile{job="api"}', time_b: T0, report });
      expect([reply.status, reply.json.errorType]).toEqual([400, 'bad_data']);
      expect(reply.json.error).toMatch(/^cannot diff the two sides: .*; select the same profile type on both$/);
    });

    it.each<[string, Record<string, string | number>, string]>([
      ['an unknown mode', { mode: 'sum', query: HEAP, time: T0 }, 'mode: must be one of "single", "merge", "diff", got "sum"'],
      ['an unknown report', { query: HEAP, time: T0, report: 'svg' }, 'report: must be one of "top", "flamegraph", "proto", "meta", "folded", got "svg"'],
      ['single without time', { query: HEAP }, 'time: is required'],
      ['merge without a range', { mode: 'merge', query: HEAP }, 'from: is required; to: is required'],
      ['merge with from after to', { ...merge, from: T0 + MIN, to: T0 }, 'from: 2026-11-20T12:01:00.000Z is after to'],
      ['a time that is not one', { query: HEAP, time: '12:00' }, 'time: not a time: "12:00"'],
      ['a node fraction over 1', { query: HEAP, time: T0, node_fraction: 2 }, 'node_fraction: must be a number from 0 to 1'],
      ['diff without side modes', { mode: 'diff', query_a: HEAP, query_b: HEAP }, 'mode_a: is required: use one of "single", "merge"'],
      ['a bad selector on side b', { mode: 'diff', mode_a: 'single', query_a: HEAP, time_a: T0, mode_b: 'single', query_b: 'heap{', time_b: T0 }, 'query_b: '],
      ['a merge range over the maximum on side a', { mode: 'diff', mode_a: 'merge', query_a: HEAP, from_a: 'now-40d', to_a: 'now', mode_b: 'single', query_b: HEAP, time_b: T0 }, 'from_a: the range'],
      ['a sample type the profile lacks', { query: HEAP, time: T0, sample_index: 'cpu' }, 'sample type "cpu" is not in the profile (valid: 0: alloc_objects/count'],
    ])('refuses %s with bad_data', async (_, params, message) => {
      const reply = await ask(params);
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ status: 'error', errorType: 'bad_data' });
      expect(reply.json.error).toContain(message);
    });
  });
});

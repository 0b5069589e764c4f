/**
 * The one end-to-end path of the API: the built app under `next start`, over real HTTP, against a
 * fresh migrated database: ingest → query_range → merge as pprof, compared with `npx profd merge`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile, top, totals } from '../../lib/pprof';
import { fixtureBody } from '../helpers/api';
import { databaseKinds, openTestDatabase } from '../helpers/db';
import { fixturePath } from '../helpers/fixtures';
import { ensureFreshBuild, startApp, type AppServer } from '../helpers/app-server';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const FILES = ['parca__many-1644509272337470000.pb.gz', 'parca__many-1644509275338070000.pb.gz', 'parca__many-1644509278338696000.pb.gz'];
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILD_TIMEOUT_MS = 15 * 60_000;

describe('the built app over HTTP', () => {
  let app: AppServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const scratch = mkdtempSync(join(tmpdir(), 'profd-e2e-api-'));

  beforeAll(async () => {
    ensureFreshBuild();
    database = await openTestDatabase(databaseKinds[0]);
    app = await startApp(database.url);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await app?.stop();
    await database?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('ingests, lists and merges profiles, and the merge equals `npx profd merge`', async () => {
    for (const [i, file] of FILES.entries()) {
      const params = new URLSearchParams({ series: 'heap{job="e2e"}', timestamp: String(T0 + i * 60_000) });
      const stored = await fetch(`${app.url}/api/v1/ingest?${params}`, { method: 'POST', body: fixtureBody(file) });
      expect(await stored.json()).toMatchObject({ status: 'success', data: { series: 'heap{job="e2e"}' } });
    }

    const range = new URLSearchParams({ query: 'heap{job="e2e"}', from: String(T0), to: String(T0 + 600_000) });
    const listed = await (await fetch(`${app.url}/api/v1/query_range?${range}`)).json();
    expect(listed.data[0].timestamps).toEqual([T0, T0 + 60_000, T0 + 120_000]);

    const merged = await fetch(`${app.url}/api/v1/query?${range}&mode=merge&report=proto`);
    expect(merged.headers.get('content-disposition')).toBe('attachment; filename=profile.pb.gz');
    const api = decodeProfile(new Uint8Array(await merged.arrayBuffer()));
    const out = join(scratch, 'merged.pb.gz');
    const cli = spawnSync(process.execPath, ['bin/profd.js', 'merge', '-o', out, ...FILES.map(fixturePath)], { cwd: ROOT, encoding: 'utf8' });
    expect(cli.status).toBe(0);
    const expected = decodeProfile(readFileSync(out));
    expect(totals(api)).toEqual(totals(expected));
    expect(top(api)).toEqual(top(expected));
  });

  it("serves Conprof's links, following its trailing slash", async () => {
    const key = (await (await fetch(`${app.url}/api/v1/query_range?query=heap&from=${T0}&to=${T0}`)).json()).data[0].labelsetEncoded;
    const file = await fetch(`${app.url}/download/${key}/${T0}/`);
    expect(file.status).toBe(200);
    expect(decodeProfile(new Uint8Array(await file.arrayBuffer())).sampleTypes).toHaveLength(4);
    // Next.js answers a trailing slash with a 308 to the path without it; the redirect to the view comes next.
    let view = await fetch(`${app.url}/pprof/${key}/${T0}/`, { redirect: 'manual' });
    if (view.status === 308) view = await fetch(new URL(view.headers.get('location')!, app.url), { redirect: 'manual' });
    expect([view.status, view.headers.get('location')]).toEqual([302, `/?query=${encodeURIComponent('heap{job="e2e"}')}&time=${T0}`]);
  });

  it('answers an error in the envelope, with its status', async () => {
    const reply = await fetch(`${app.url}/api/v1/query_range?query=heap{&from=1&to=2`);
    expect(reply.status).toBe(400);
    expect(await reply.json()).toMatchObject({ status: 'error', errorType: 'bad_data' });
  });
});

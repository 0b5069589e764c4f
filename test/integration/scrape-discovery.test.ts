import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkerConfig } from '../../lib/config/worker-config';
import { TargetHealthRegistry } from '../../lib/scrape/health';
import { runScrapePipeline } from '../../lib/scrape/pipeline';
import type { ScrapedProfile } from '../../lib/scrape/sink';
import { startPprofServer, type PprofServer } from '../helpers/pprof-server';

const HEAP = { kind: 'fixture', name: 'parca__fib.pb.gz' } as const;
let a: PprofServer;
let b: PprofServer;
beforeAll(async () => {
  [a, b] = await Promise.all([startPprofServer({ '/debug/pprof/heap': HEAP }), startPprofServer({ '/debug/pprof/heap': HEAP })]);
});
afterAll(() => Promise.all([a.close(), b.close()]));

const OFF = ['allocs', 'block', 'goroutine', 'mutex', 'profile', 'threadcreate'].map((t) => `        ${t}: { enabled: false }`).join('\n');

/** Runs the whole pipeline for a job with the given discovery section; stops it with `stop()`. */
function startPipeline(discovery: string) {
  const yaml = `scrape_configs:\n  - job_name: sd\n    scrape_interval: 200ms\n    scrape_timeout: 150ms\n${discovery}    profiling_config:\n      pprof_config:\n${OFF}\n`;
  const items: ScrapedProfile[] = [];
  const warnings: string[] = [];
  const controller = new AbortController();
  const health = new TargetHealthRegistry();
  const done = runScrapePipeline(parseWorkerConfig(yaml), {
    sink: { write: async (item) => void items.push(item) },
    signal: controller.signal,
    logger: { warn: (message, fields) => warnings.push(`${message}: ${String(fields?.error)}`) },
    health,
    discoveryUpdateDelayMs: 20,
  });
  return { items, warnings, health, stop: () => (controller.abort(), done) };
}

/** Polls until `check` holds, failing with `what` after a few seconds. */
async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const scrapedFrom = (items: ScrapedProfile[], server: PprofServer) => items.filter((i) => i.labels.instance === server.address);

describe('file_sd in the running pipeline', () => {
  let dir = '';
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('picks up a rewritten targets file through its directory watch', async () => {
    dir = mkdtempSync(join(tmpdir(), 'profd-sd-'));
    const file = join(dir, 'targets.json');
    writeFileSync(file, JSON.stringify([{ targets: [a.address], labels: { team: 'pay' } }]));
    // An hour-long refresh_interval: only the watch can notice the change within the test.
    const pipeline = startPipeline(`    file_sd_configs:\n      - files: ['${join(dir, '*.json')}']\n        refresh_interval: 1h\n`);
    await until('server A is scraped', () => scrapedFrom(pipeline.items, a).length > 0);
    expect(scrapedFrom(pipeline.items, a)[0].labels).toEqual({ __name__: 'heap', job: 'sd', instance: a.address, team: 'pay' });

    writeFileSync(file, JSON.stringify([{ targets: [b.address], labels: { team: 'pay' } }]));
    await until('server B is scraped', () => scrapedFrom(pipeline.items, b).length > 0);
    await until('only B is an active target', () => pipeline.health.snapshot().active.every((t) => t.labels.instance === b.address));
    await pipeline.stop();
    expect(pipeline.warnings).toEqual([]);
  });
});

describe('http_sd in the running pipeline', () => {
  it('polls the endpoint, keeps the last good targets through an outage, then follows changes', async () => {
    const sd = await startPprofServer({ '/sd': { kind: 'json', body: [{ targets: [a.address], labels: { team: 'web' } }] } });
    const pipeline = startPipeline(`    http_sd_configs:\n      - url: ${sd.url}/sd\n        refresh_interval: 100ms\n`);
    try {
      await until('server A is scraped', () => scrapedFrom(pipeline.items, a).length > 0);
      expect(scrapedFrom(pipeline.items, a)[0].labels).toEqual({ __name__: 'heap', job: 'sd', instance: a.address, team: 'web' });

      sd.route('/sd', { kind: 'status', status: 503 });
      await until('the outage is logged', () => pipeline.warnings.length > 0);
      const during = scrapedFrom(pipeline.items, a).length;
      await until('A is still scraped during the outage', () => scrapedFrom(pipeline.items, a).length > during + 1);
      expect(pipeline.warnings[0]).toBe(`discovery failed; keeping the last good targets: http_sd: ${sd.url}/sd returned HTTP 503; expected 200 with a JSON list of target groups`);

      sd.route('/sd', { kind: 'json', body: [{ targets: [b.address] }] });
      await until('server B is scraped', () => scrapedFrom(pipeline.items, b).length > 0);
      await until('A is dropped', () => pipeline.health.snapshot().active.every((t) => t.labels.instance === b.address));
    } finally {
      await pipeline.stop();
      await sd.close();
    }
  });
});

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { parseWorkerConfig } from '../../lib/config/worker-config';
import { readTargets, readWorkerConfig, writeTargetHealth, writeWorkerConfig } from '../../lib/db';
import { TargetHealthRegistry } from '../../lib/scrape/health';
import { targetsFromGroup } from '../../lib/scrape/targets-from-group';
import { forEachDatabase } from '../helpers/db';

const CONFIG = parseWorkerConfig(`
scrape_configs:
  - job_name: api
    scrape_interval: 15s
    scrape_timeout: 10s
    relabel_configs:
      - { source_labels: [env], regex: dev, action: drop }
    profiling_config:
      pprof_config:
        ${['allocs', 'block', 'goroutine', 'mutex', 'profile', 'threadcreate'].map((t) => `${t}: { enabled: false }`).join('\n        ')}
`);
const [JOB] = CONFIG.scrapeConfigs;
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

/** A registry holding the heap targets of these addresses, as the scrape manager would fill it. */
function registryFor(targets: Record<string, string>[]): TargetHealthRegistry {
  const registry = new TargetHealthRegistry();
  const { active, dropped } = targetsFromGroup(JOB, { source: 'static:0', targets, labels: { team: 'pay' } });
  active.forEach((t) => registry.add(t));
  registry.setDropped('api', dropped);
  return registry;
}

/** The identity registryFor gave the target at `address`. */
const hashOf = (address: string) => targetsFromGroup(JOB, { source: 'static:0', targets: [{ __address__: address }], labels: { team: 'pay' } }).active[0].hash;

describe('target health in the database', () => {
  forEachDatabase((get) => {
    it('serves what the worker recorded, in the shape of Prometheus /api/v1/targets', async () => {
      const registry = registryFor([{ __address__: 'a:6060' }, { __address__: 'b:6060' }, { __address__: 'c:6060' }, { __address__: 'd:6060', env: 'dev' }]);
      registry.record(hashOf('a:6060'), { startedMs: T0, durationMs: 125, bytes: 4096, error: null });
      registry.record(hashOf('b:6060'), { startedMs: T0 + 1, durationMs: 10_000, bytes: 0, error: { reason: 'timeout', message: 'no complete answer within the 10000 ms timeout' } });
      await writeTargetHealth(get().db, registry.snapshot());

      const { activeTargets, droppedTargets } = await readTargets(get().db);
      expect(activeTargets.map((t) => [t.labels.instance, t.health, t.lastError])).toEqual([
        ['a:6060', 'up', ''],
        ['b:6060', 'down', 'no complete answer within the 10000 ms timeout'],
        ['c:6060', 'unknown', ''],
      ]);
      expect(activeTargets[0]).toEqual({
        discoveredLabels: { __address__: 'a:6060', __metrics_path__: '/debug/pprof/heap', __name__: 'heap', __scheme__: 'http', job: 'api', team: 'pay' },
        labels: { __name__: 'heap', instance: 'a:6060', job: 'api', team: 'pay' },
        scrapePool: 'api',
        scrapeUrl: 'http://a:6060/debug/pprof/heap',
        profileType: 'heap',
        health: 'up',
        lastScrape: new Date(T0).toISOString(),
        lastScrapeDuration: 0.125,
        lastScrapeBytes: 4096,
        lastError: '',
        lastErrorReason: null,
        scrapeInterval: '15s',
        scrapeTimeout: '10s',
      });
      expect(activeTargets[1].lastErrorReason).toBe('timeout');
      expect(activeTargets[2]).toMatchObject({ lastScrape: null, lastScrapeDuration: null, lastScrapeBytes: null });
      expect(droppedTargets).toEqual([{ scrapePool: 'api', discoveredLabels: expect.objectContaining({ __address__: 'd:6060', env: 'dev' }) }]);
    });

    it('replaces the previous snapshot: gone targets disappear, changed ones update', async () => {
      const registry = registryFor([{ __address__: 'a:6060' }, { __address__: 'e:6060', env: 'dev' }, { __address__: 'e:6060', env: 'dev' }]);
      registry.record(hashOf('a:6060'), { startedMs: T0 + 15_000, durationMs: 90, bytes: 0, error: { reason: 'http_status', message: 'http://a:6060/debug/pprof/heap returned HTTP 500' } });
      await writeTargetHealth(get().db, registry.snapshot());

      const { activeTargets, droppedTargets } = await readTargets(get().db);
      expect(activeTargets.map((t) => [t.labels.instance, t.health, t.lastScrape, t.lastErrorReason])).toEqual([['a:6060', 'down', new Date(T0 + 15_000).toISOString(), 'http_status']]);
      // The same dropped target found twice is listed once.
      expect(droppedTargets.map((d) => d.discoveredLabels.__address__)).toEqual(['e:6060']);
    });

    it('writes only what changed since the previous snapshot, and still ends equal to the new one', async () => {
      const registry = registryFor([{ __address__: 'a:6060' }, { __address__: 'f:6060' }, { __address__: 'g:6060', env: 'dev' }]);
      const before = registry.snapshot();
      await writeTargetHealth(get().db, before);
      // A mark only a full rewrite of f's row would erase.
      await get().db.orm.execute(sql`update scrape_targets set last_error = 'untouched' where labels->>'instance' = 'f:6060'`);
      registry.record(hashOf('a:6060'), { startedMs: T0 + 30_000, durationMs: 80, bytes: 100, error: null });
      registry.remove(hashOf('f:6060'));
      registry.add(targetsFromGroup(JOB, { source: 'static:0', targets: [{ __address__: 'f:6060' }], labels: { team: 'pay' } }).active[0]);
      registry.setDropped('api', []);
      await writeTargetHealth(get().db, registry.snapshot(), before);
      const { activeTargets, droppedTargets } = await readTargets(get().db);
      expect(activeTargets.map((t) => [t.labels.instance, t.health, t.lastError])).toEqual([
        ['a:6060', 'up', ''],
        ['f:6060', 'unknown', ''],
      ]);
      expect(droppedTargets).toEqual([]);

      registry.record(hashOf('a:6060'), { startedMs: T0 + 45_000, durationMs: 80, bytes: 100, error: null });
      await get().db.orm.execute(sql`update scrape_targets set last_error = 'untouched' where labels->>'instance' = 'f:6060'`);
      const middle = registry.snapshot();
      registry.record(hashOf('a:6060'), { startedMs: T0 + 60_000, durationMs: 80, bytes: 100, error: null });
      await writeTargetHealth(get().db, registry.snapshot(), middle);
      const after = (await readTargets(get().db)).activeTargets;
      expect(after.map((t) => [t.labels.instance, t.lastScrape, t.lastError])).toEqual([
        ['a:6060', new Date(T0 + 60_000).toISOString(), ''],
        ['f:6060', null, 'untouched'],
      ]);
    });

    it.each([
      ['active', 1, 0],
      ['dropped', 0, 1],
      ['any', 1, 1],
    ] as const)('state=%s returns %i active and %i dropped targets', async (state, active, dropped) => {
      await writeTargetHealth(get().db, registryFor([{ __address__: 'a:6060' }, { __address__: 'd:6060', env: 'dev' }]).snapshot());
      const result = await readTargets(get().db, state);
      expect([result.activeTargets.length, result.droppedTargets.length]).toEqual([active, dropped]);
    });

    it('empties the tables for a snapshot with no targets', async () => {
      await writeTargetHealth(get().db, new TargetHealthRegistry().snapshot());
      expect(await readTargets(get().db)).toEqual({ activeTargets: [], droppedTargets: [] });
    });

    it('keeps the config the worker runs, the latest one winning', async () => {
      expect(await readWorkerConfig(get().db)).toBeNull();
      await writeWorkerConfig(get().db, { source: 'a.yml', yaml: 'scrape_configs: []\n', loadedAtMs: T0 });
      await writeWorkerConfig(get().db, { source: 'b.yml', yaml: CONFIG.text, loadedAtMs: T0 + 1000 });
      expect(await readWorkerConfig(get().db)).toEqual({ source: 'b.yml', yaml: CONFIG.text, loadedAtMs: T0 + 1000 });
    });
  });
});

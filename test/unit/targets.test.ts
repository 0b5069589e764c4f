import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWorkerConfig } from '../../lib/config/worker-config';
import type { TargetGroup } from '../../lib/discovery/target-group';
import { scrapeOffsetMs } from '../../lib/scrape/target';
import { targetsFromGroup } from '../../lib/scrape/targets-from-group';

const PROFILE_TYPES = ['allocs', 'block', 'goroutine', 'heap', 'mutex', 'profile', 'threadcreate'];

/** A job from YAML with only the given profile types enabled (heap by default), so each case reads like a config. */
function job(yaml: string, pprof: Record<string, string> = { heap: '{}' }) {
  const types = PROFILE_TYPES.map((t) => `        ${t}: ${pprof[t] ?? '{ enabled: false }'}`).join('\n');
  const text = `scrape_configs:\n  - job_name: api\n    scrape_interval: 20s\n${yaml}\n    profiling_config:\n      pprof_config:\n${types}\n`;
  return parseWorkerConfig(text).scrapeConfigs[0];
}

const group = (targets: Array<Record<string, string>>, labels: Record<string, string> = {}): TargetGroup => ({ source: 'test:0', targets, labels });

const cases: Array<{ name: string; yaml?: string; pprof?: Record<string, string>; group: TargetGroup; external?: Record<string, string>; want: Array<[string, Record<string, string>]> }> = [
  {
    name: 'one target per enabled profile type, with job, instance and __name__',
    pprof: { heap: '{}', goroutine: '{}' },
    group: group([{ __address__: '10.0.0.1:6060' }]),
    want: [
      ['http://10.0.0.1:6060/debug/pprof/goroutine', { __name__: 'goroutine', job: 'api', instance: '10.0.0.1:6060' }],
      ['http://10.0.0.1:6060/debug/pprof/heap', { __name__: 'heap', job: 'api', instance: '10.0.0.1:6060' }],
    ],
  },
  {
    name: 'CPU profiles ask for seconds; the default is cut to fit the timeout',
    pprof: { profile: '{}' },
    group: group([{ __address__: 'h:1' }]),
    want: [['http://h:1/debug/pprof/profile?seconds=19', { __name__: 'profile', job: 'api', instance: 'h:1' }]],
  },
  {
    name: 'delta appends seconds=<scrape_interval>',
    yaml: '    scrape_timeout: 25s',
    pprof: { allocs: '{ delta: true }' },
    group: group([{ __address__: 'h:1' }]),
    want: [['http://h:1/debug/pprof/allocs?seconds=20', { __name__: 'allocs', job: 'api', instance: 'h:1' }]],
  },
  {
    name: 'group labels apply under target labels; __meta labels are not stored',
    group: group([{ __address__: 'h:1', env: 'canary', __meta_filepath: '/sd/a.json' }], { env: 'prod', team: 'pay' }),
    want: [['http://h:1/debug/pprof/heap', { __name__: 'heap', job: 'api', instance: 'h:1', env: 'canary', team: 'pay' }]],
  },
  {
    name: 'default port from the scheme; https when the job says so',
    yaml: '    scheme: https',
    group: group([{ __address__: 'db.internal' }]),
    want: [['https://db.internal:443/debug/pprof/heap', { __name__: 'heap', job: 'api', instance: 'db.internal:443' }]],
  },
  {
    name: 'relabeling rewrites the address, path and instance, and sees __name__',
    yaml: `    relabel_configs:
      - { source_labels: [__address__], regex: '(.*):6060', target_label: __address__, replacement: '$1:7070' }
      - { source_labels: [__name__], target_label: __metrics_path__, replacement: '/custom/$1' }
      - { target_label: instance, replacement: web-1 }`,
    group: group([{ __address__: 'h:6060' }]),
    want: [['http://h:7070/custom/heap', { __name__: 'heap', job: 'api', instance: 'web-1' }]],
  },
  {
    name: 'job params become query parameters, overridable by __param_ labels',
    yaml: `    params: { debug: ['0'], gc: ['1'] }
    relabel_configs:
      - { target_label: __param_gc, replacement: '0' }`,
    group: group([{ __address__: 'h:1' }]),
    want: [['http://h:1/debug/pprof/heap?debug=0&gc=0', { __name__: 'heap', job: 'api', instance: 'h:1' }]],
  },
  {
    name: 'a discovered job label wins over the job name, as in Prometheus',
    group: group([{ __address__: 'h:1', job: 'from-sd' }]),
    want: [['http://h:1/debug/pprof/heap', { __name__: 'heap', job: 'from-sd', instance: 'h:1' }]],
  },
  {
    name: 'external labels fill in but never override',
    group: group([{ __address__: 'h:1', region: 'us' }]),
    external: { region: 'eu', cluster: 'c1' },
    want: [['http://h:1/debug/pprof/heap', { __name__: 'heap', job: 'api', instance: 'h:1', region: 'us', cluster: 'c1' }]],
  },
  {
    name: 'IPv6 addresses keep their brackets',
    group: group([{ __address__: '[::1]:6060' }]),
    want: [['http://[::1]:6060/debug/pprof/heap', { __name__: 'heap', job: 'api', instance: '[::1]:6060' }]],
  },
];

describe('targetsFromGroup', () => {
  it.each(cases)('$name', ({ yaml, pprof, group: g, external, want }) => {
    const { active, errors } = targetsFromGroup(job(yaml ?? '', pprof), g, external);
    expect(errors).toEqual([]);
    expect(active.map((t) => [t.url, t.labels])).toEqual(want);
  });

  it('keeps dropped targets with their labels before relabeling', () => {
    const cfg = job(`    relabel_configs:\n      - { source_labels: [env], regex: prod, action: keep }`);
    const { active, dropped } = targetsFromGroup(cfg, group([{ __address__: 'a:1', env: 'prod' }, { __address__: 'b:1', env: 'dev' }]));
    expect(active.map((t) => t.labels.instance)).toEqual(['a:1']);
    expect(dropped).toEqual([{ job: 'api', discoveredLabels: { job: 'api', __scheme__: 'http', __address__: 'b:1', env: 'dev', __name__: 'heap', __metrics_path__: '/debug/pprof/heap' } }]);
  });

  it.each([
    [{ __address__: 'http://h:1/x' }, /__address__ "http:\/\/h:1\/x" is not host:port/],
    [{ instance: 'x' }, /has no __address__ after relabeling/],
  ])('reports a target it cannot build: %j', (target, message) => {
    const { active, errors } = targetsFromGroup(job(''), group([target]));
    expect(active).toEqual([]);
    expect(errors[0]).toMatch(message);
  });

  it('gives the same target the same hash and any change a new one', () => {
    const cfg = job('');
    const hash = (labels: Record<string, string>) => targetsFromGroup(cfg, group([labels])).active[0].hash;
    expect(hash({ __address__: 'h:1' })).toBe(hash({ __address__: 'h:1' }));
    expect(hash({ __address__: 'h:1' })).not.toBe(hash({ __address__: 'h:2' }));
    expect(hash({ __address__: 'h:1' })).not.toBe(hash({ __address__: 'h:1', env: 'x' }));
  });
});

describe('scrapeOffsetMs', () => {
  it('puts every scrape of a target at the same phase of the interval, whenever it starts', () => {
    const hash = 'a1b2c3d4e5f60718';
    const phases = [0, 1234, 9_999, 50_000].map((now) => (now + scrapeOffsetMs(hash, 10_000, now)) % 10_000);
    expect(new Set(phases).size).toBe(1);
  });

  it('spreads targets over the interval and never waits longer than one interval', () => {
    const hashes = Array.from({ length: 200 }, (_, i) => createHash('sha256').update(String(i)).digest('hex').slice(0, 16));
    const offsets = hashes.map((hash) => scrapeOffsetMs(hash, 10_000, 0));
    expect(Math.max(...offsets)).toBeLessThanOrEqual(10_000);
    expect(new Set(offsets.map((o) => Math.floor(o / 1000))).size).toBe(10);
  });
});

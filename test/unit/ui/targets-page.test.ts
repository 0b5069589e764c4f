import { describe, expect, it } from 'vitest';
import type { ActiveTarget, DroppedTargetInfo } from '../../../lib/db/targets';
import { formatQuantity } from '../../../app/ui/format';
import { filterDropped, filterGroups, groupTargets, healthSummary, sortedLabels, worstHealth, type TargetGroup } from '../../../app/ui/targets/target-groups';
import { formatTargetFilter, parseTargetFilter } from '../../../app/ui/targets/url-state';

/** One profile type of one endpoint, as /api/v1/targets lists it. */
function target(job: string, address: string, profileType: string, over: Partial<ActiveTarget> = {}): ActiveTarget {
  const path = profileType === 'profile' ? '/debug/pprof/profile?seconds=10' : `/debug/pprof/${profileType}`;
  return {
    discoveredLabels: { __address__: address, __name__: profileType, job },
    labels: { __name__: profileType, instance: address, job },
    scrapePool: job,
    scrapeUrl: `http://${address}${path}`,
    profileType,
    health: 'up',
    lastScrape: '2026-11-25T02:14:00.000Z',
    lastScrapeDuration: 0.02,
    lastScrapeBytes: 1000,
    lastError: '',
    lastErrorReason: null,
    scrapeInterval: '15s',
    scrapeTimeout: '10s',
    ...over,
  };
}

const down = (message: string): Partial<ActiveTarget> => ({ health: 'down', lastError: message, lastErrorReason: 'http_status' });

const rowsOf = (groups: readonly TargetGroup[]) => groups.map((g) => [g.job, g.rows.map((r) => r.instance)]);

describe('grouping targets for the targets page', () => {
  it('merges the profile types of one endpoint into one row, grouped by job', () => {
    const groups = groupTargets([
      target('web', 'web-1:8080', 'profile'),
      target('api', 'api-1:6060', 'heap'),
      target('web', 'web-1:8080', 'heap'),
      target('api', 'api-1:6060', 'profile'),
      target('api', 'api-2:6060', 'heap'),
    ]);
    expect(rowsOf(groups)).toEqual([
      ['api', ['api-1:6060', 'api-2:6060']],
      ['web', ['web-1:8080']],
    ]);
    const api1 = groups[0].rows[0];
    expect(api1.scrapes.map((s) => s.profileType)).toEqual(['heap', 'profile']);
    expect(api1.labels).toEqual({ instance: 'api-1:6060', job: 'api' });
    expect(api1.endpoint).toBe('http://api-1:6060');
  });

  it('keeps endpoints apart when their labels differ, even at one address', () => {
    const groups = groupTargets([
      target('api', 'api-1:6060', 'heap', { labels: { __name__: 'heap', instance: 'api-1:6060', job: 'api', zone: 'a' } }),
      target('api', 'api-1:6060', 'heap', { labels: { __name__: 'heap', instance: 'api-1:6060', job: 'api', zone: 'b' } }),
    ]);
    expect(groups[0].rows.map((r) => r.labels.zone)).toEqual(['a', 'b']);
  });

  it('orders endpoints as a person counts them (host-9 before host-10)', () => {
    const groups = groupTargets([target('api', 'host-10:80', 'heap'), target('api', 'host-9:80', 'heap')]);
    expect(rowsOf(groups)).toEqual([['api', ['host-9:80', 'host-10:80']]]);
  });

  it('names an endpoint by its URL when relabeling removed the instance label', () => {
    const [group] = groupTargets([target('api', 'api-1:6060', 'heap', { labels: { __name__: 'heap', job: 'api' } })]);
    expect(group.rows[0].instance).toBe('api-1:6060');
  });

  it('gives a row the latest scrape time and the longest scrape of its profile types', () => {
    const [group] = groupTargets([
      target('api', 'api-1:6060', 'profile', { lastScrape: '2026-11-25T02:14:00.000Z', lastScrapeDuration: 10.02 }),
      target('api', 'api-1:6060', 'heap', { lastScrape: '2026-11-25T02:14:07.000Z', lastScrapeDuration: 0.015 }),
      target('api', 'api-1:6060', 'mutex', { health: 'unknown', lastScrape: null, lastScrapeDuration: null }),
    ]);
    expect(group.rows[0].lastScrapeMs).toBe(Date.parse('2026-11-25T02:14:07.000Z'));
    expect(group.rows[0].longestScrapeSeconds).toBe(10.02);
    expect(formatQuantity(0.015, 'seconds')).toBe('15 ms');
  });

  it('has no scrape time for an endpoint never scraped yet', () => {
    const [group] = groupTargets([target('api', 'api-1:6060', 'heap', { health: 'unknown', lastScrape: null, lastScrapeDuration: null })]);
    expect(group.rows[0].lastScrapeMs).toBeNull();
    expect(group.rows[0].longestScrapeSeconds).toBeNull();
  });
});

describe('health of an endpoint and of a job', () => {
  it.each([
    [['up', 'up'], 'up'],
    [['up', 'down'], 'down'],
    [['unknown', 'up'], 'unknown'],
    [['unknown', 'down'], 'down'],
  ] as const)('%j is %s', (healths, expected) => {
    expect(worstHealth(healths)).toBe(expected);
  });

  it('counts an endpoint up only when every profile type is up', () => {
    const [group] = groupTargets([
      target('api', 'api-1:6060', 'heap'),
      target('api', 'api-1:6060', 'profile', down('server returned HTTP status 500')),
      target('api', 'api-2:6060', 'heap'),
      target('api', 'api-3:6060', 'heap', { health: 'unknown', lastScrape: null }),
    ]);
    expect(group.summary).toEqual({ up: 1, total: 3 });
    expect(healthSummary([])).toEqual({ up: 0, total: 0 });
  });
});

describe('filtering targets', () => {
  const groups = groupTargets([
    target('api', 'api-1:6060', 'heap'),
    target('api', 'api-1:6060', 'profile', down('Get "http://api-1:6060/debug/pprof/profile": context deadline exceeded')),
    target('api', 'api-2:6060', 'heap', { labels: { __name__: 'heap', instance: 'api-2:6060', job: 'api', zone: 'eu-west' } }),
    target('web', 'web-1:8080', 'heap', { health: 'unknown', lastScrape: null }),
    target('db', 'db-1:9187', 'heap'),
  ]);

  it.each([
    ['', false, [['api', ['api-1:6060', 'api-2:6060']], ['db', ['db-1:9187']], ['web', ['web-1:8080']]]],
    ['zone=eu', false, [['api', ['api-2:6060']]]],
    ['zone="eu-west"', false, [['api', ['api-2:6060']]]],
    ['DEADLINE', false, [['api', ['api-1:6060']]]],
    ['web-1:8080/debug', false, [['web', ['web-1:8080']]]],
    ['job=api  heap', false, [['api', ['api-1:6060', 'api-2:6060']]]],
    ['job=api west', false, [['api', ['api-2:6060']]]],
    ['', true, [['api', ['api-1:6060']], ['web', ['web-1:8080']]]],
    ['api', true, [['api', ['api-1:6060']]]],
    ['nothing-like-this', false, []],
  ] as const)('filter %j, only unhealthy %s', (text, unhealthyOnly, expected) => {
    expect(rowsOf(filterGroups(groups, { text, unhealthyOnly }))).toEqual(expected);
  });

  it('keeps the count of the whole job when the filter hides some of its endpoints', () => {
    const [api] = filterGroups(groups, { text: 'eu-west', unhealthyOnly: false });
    expect(api.rows).toHaveLength(1);
    expect(api.summary).toEqual({ up: 1, total: 2 });
  });

  it('filters dropped targets by job and discovered labels', () => {
    const dropped: DroppedTargetInfo[] = [
      { scrapePool: 'api', discoveredLabels: { __address__: 'api-9:6060', __meta_kubernetes_namespace: 'staging' } },
      { scrapePool: 'web', discoveredLabels: { __address__: 'web-9:8080' } },
    ];
    expect(filterDropped(dropped, 'namespace=staging').map((d) => d.discoveredLabels.__address__)).toEqual(['api-9:6060']);
    expect(filterDropped(dropped, 'web').map((d) => d.scrapePool)).toEqual(['web']);
    expect(filterDropped(dropped, ' ')).toHaveLength(2);
  });
});

describe('labels as chips', () => {
  it('puts instance and job first, the rest by name', () => {
    expect(sortedLabels({ zone: 'a', job: 'api', env: 'prod', instance: 'x:1' }).map(([name]) => name)).toEqual(['instance', 'job', 'env', 'zone']);
  });
});

describe('the targets page URL', () => {
  it.each([
    [{ text: '', unhealthyOnly: false }, ''],
    [{ text: 'zone="eu west"', unhealthyOnly: false }, '?filter=zone%3D%22eu+west%22'],
    [{ text: 'api', unhealthyOnly: true }, '?filter=api&unhealthy=1'],
    [{ text: '', unhealthyOnly: true }, '?unhealthy=1'],
  ])('%j round-trips through %j', (filter, search) => {
    expect(formatTargetFilter(filter)).toBe(search);
    expect(parseTargetFilter(new URLSearchParams(search))).toEqual(filter);
  });

  it('reads a missing or malformed parameter as no filter', () => {
    expect(parseTargetFilter(new URLSearchParams('?unhealthy=yes'))).toEqual({ text: '', unhealthyOnly: false });
  });
});

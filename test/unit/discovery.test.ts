import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DnsDiscoverer, type DnsResolver } from '../../lib/discovery/dns-sd';
import { FileDiscoverer } from '../../lib/discovery/file-sd';
import { DiscoveryManager } from '../../lib/discovery/manager';
import { StaticDiscoverer } from '../../lib/discovery/static';
import { parseTargetGroups, type Discoverer, type TargetGroup } from '../../lib/discovery/target-group';

/** Runs a discoverer until it has emitted `count` times, then stops it; returns every emission. */
async function emissions(discoverer: Discoverer, count: number, between?: (i: number) => void): Promise<TargetGroup[][]> {
  const controller = new AbortController();
  const seen: TargetGroup[][] = [];
  const run = discoverer.run(controller.signal, (groups) => {
    seen.push(groups);
    if (seen.length >= count) controller.abort();
    else between?.(seen.length);
  });
  await run;
  return seen;
}

describe('static discovery', () => {
  it('emits one group per static_configs entry', async () => {
    const [groups] = await emissions(new StaticDiscoverer([{ targets: ['a:1', 'b:2'], labels: { env: 'prod' } }, { targets: ['c:3'], labels: {} }]), 1);
    expect(groups).toEqual([
      { source: '0', targets: [{ __address__: 'a:1' }, { __address__: 'b:2' }], labels: { env: 'prod' } },
      { source: '1', targets: [{ __address__: 'c:3' }], labels: {} },
    ]);
  });
});

describe('target group documents', () => {
  it.each([
    [{ targets: ['a:1'] }, /invalid target groups: expected a list/],
    [[{ targets: 'a:1' }], /at \[0\]\.targets: /],
    [[{ targets: ['a:1'], labels: { 'bad-name': 'x' } }], /at \[0\]\.labels\.bad-name: /],
    [[{ targets: ['a:1'], extra: 1 }], /at \[0\]: Unrecognized key: "extra"/],
  ])('refuses %j, naming where', (document, message) => {
    expect(() => parseTargetGroups(document, 'sd.json', {})).toThrow(message);
  });
});

/** A resolver answering from a table, standing in for DNS the way node:dns would answer. */
function tableResolver(records: Record<string, unknown[] | string>): DnsResolver {
  const answer = async (name: string) => {
    const r = records[name];
    if (r === undefined) throw Object.assign(new Error(`queryA ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    if (typeof r === 'string') throw Object.assign(new Error(`query ${r} ${name}`), { code: r });
    return r;
  };
  return { resolve4: answer, resolve6: answer, resolveSrv: answer } as unknown as DnsResolver;
}

describe('dns discovery', () => {
  const errors: string[] = [];
  const onError = (err: Error) => errors.push(err.message);

  it('turns SRV records into targets with meta labels', async () => {
    const resolver = tableResolver({ '_pprof._tcp.svc': [{ name: 'host-a.svc', port: 6060, priority: 0, weight: 0 }] });
    const [groups] = await emissions(new DnsDiscoverer({ names: ['_pprof._tcp.svc'], type: 'SRV', port: null, refreshIntervalMs: 60_000 }, onError, resolver), 1);
    expect(groups).toEqual([
      {
        source: '_pprof._tcp.svc',
        labels: {},
        targets: [{ __address__: 'host-a.svc:6060', __meta_dns_name: '_pprof._tcp.svc', __meta_dns_srv_record_target: 'host-a.svc', __meta_dns_srv_record_port: '6060' }],
      },
    ]);
  });

  it('adds the configured port to A and AAAA records, bracketing IPv6', async () => {
    const resolver = tableResolver({ db: ['10.0.0.1', '10.0.0.2'], db6: ['fd00::1'] });
    const [a] = await emissions(new DnsDiscoverer({ names: ['db'], type: 'A', port: 6060, refreshIntervalMs: 60_000 }, onError, resolver), 1);
    const [aaaa] = await emissions(new DnsDiscoverer({ names: ['db6'], type: 'AAAA', port: 6060, refreshIntervalMs: 60_000 }, onError, resolver), 1);
    expect(a[0].targets.map((t) => t.__address__)).toEqual(['10.0.0.1:6060', '10.0.0.2:6060']);
    expect(aaaa[0].targets).toEqual([{ __address__: '[fd00::1]:6060', __meta_dns_name: 'db6' }]);
  });

  it('keeps a name’s last good targets when a lookup fails, and empties it on NXDOMAIN', async () => {
    const records: Record<string, unknown[] | string> = { db: ['10.0.0.1'] };
    const discoverer = new DnsDiscoverer({ names: ['db'], type: 'A', port: 1, refreshIntervalMs: 5 }, onError, tableResolver(records));
    const seen = await emissions(discoverer, 3, (i) => {
      if (i === 1) records.db = 'ETIMEOUT';
      if (i === 2) delete records.db;
    });
    expect(seen.map((groups) => groups[0].targets.length)).toEqual([1, 1, 0]);
    expect(errors).toContain('dns_sd: looking up A records of db failed: query ETIMEOUT db');
  });
});

describe('file discovery', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads JSON and YAML files matching a pattern, with __meta_filepath', async () => {
    dir = mkdtempSync(join(tmpdir(), 'profd-file-sd-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify([{ targets: ['a:1'], labels: { team: 'x' } }]));
    writeFileSync(join(dir, 'b.json'), '[{"targets": ["b:1"]}]');
    writeFileSync(join(dir, 'c.yml'), '- targets: [c:1]\n');
    const [groups] = await emissions(new FileDiscoverer({ files: [join(dir, '*.json'), join(dir, 'c.yml')], refreshIntervalMs: 60_000 }, () => {}), 1);
    expect(groups.map((g) => [g.source, g.targets[0].__address__, g.labels])).toEqual([
      [`${join(dir, 'a.json')}:0`, 'a:1', { team: 'x', __meta_filepath: join(dir, 'a.json') }],
      [`${join(dir, 'b.json')}:0`, 'b:1', { __meta_filepath: join(dir, 'b.json') }],
      [`${join(dir, 'c.yml')}:0`, 'c:1', { __meta_filepath: join(dir, 'c.yml') }],
    ]);
  });

  it('keeps a broken file’s last good groups and drops a deleted file’s', async () => {
    dir = mkdtempSync(join(tmpdir(), 'profd-file-sd-'));
    const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
    writeFileSync(a, '[{"targets": ["a:1"]}]');
    writeFileSync(b, '[{"targets": ["b:1"]}]');
    const errors: string[] = [];
    const seen = await emissions(new FileDiscoverer({ files: [join(dir, '*.json')], refreshIntervalMs: 20 }, (e) => errors.push(e.message)), 3, (i) => {
      if (i === 1) writeFileSync(a, '[{"targets": ["a:1"');
      if (i === 2) rmSync(b);
    });
    expect(seen.map((groups) => groups.map((g) => g.targets[0].__address__))).toEqual([['a:1', 'b:1'], ['a:1', 'b:1'], ['a:1']]);
    expect(errors[0]).toMatch(new RegExp(`^file_sd: ${a} is not valid JSON: `));
  });
});

describe('discovery manager', () => {
  it('merges every discoverer of a job and sends one update per burst of changes', async () => {
    const updates: Array<[string, string[]]> = [];
    const controller = new AbortController();
    const manager = new DiscoveryManager({
      onUpdate: (job, groups) => {
        updates.push([job, groups.map((g) => g.source)]);
        controller.abort();
      },
      onError: () => {},
      updateDelayMs: 10,
    });
    const two: Discoverer = { run: async (_s, emit) => emit([{ source: 'file:0', targets: [], labels: {} }]) };
    await manager.run(controller.signal, new Map([['api', [new StaticDiscoverer([{ targets: ['a:1'], labels: {} }]), two]]]));
    expect(updates).toEqual([['api', ['0', 'file:0']]]);
  });
});

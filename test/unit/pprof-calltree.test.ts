import { describe, expect, it } from 'vitest';
import { buildCallTree, type CallTree } from '../../lib/pprof/calltree';
import { decodeProfile } from '../../lib/pprof/decode';
import { isProfileError } from '../../lib/pprof/errors';
import { callTreeToFolded, parseFolded } from '../../lib/pprof/folded';
import type { Func, Location, Mapping, Profile } from '../../lib/pprof/model';
import { defaultSampleIndex, totals } from '../../lib/pprof/sample-types';
import { readFixture } from '../helpers/fixtures';
import { SYNTHETIC_PRESETS, syntheticProfile } from '../helpers/synthetic';

const folded = (text: string) => parseFolded(text, { sampleType: 'samples', unit: 'count' });

/** Checks what every untrimmed tree promises: totals add up and nodes come depth first. */
function expectConsistent(tree: CallTree): void {
  const childTotals = tree.total.map(() => 0);
  tree.parent.forEach((p, node) => p >= 0 && (childTotals[p] += tree.total[node]));
  const broken = tree.total.findIndex((total, node) => total !== tree.self[node] + childTotals[node]);
  expect(broken).toBe(-1);
  const badOrder = tree.parent.findIndex((p, node) => node > 0 && (p >= node || tree.depth[node] !== tree.depth[p] + 1));
  expect(badOrder).toBe(-1);
}

describe('buildCallTree', () => {
  it.each([
    ['google-pprof__large.cpu'],
    ['parca__profile1.pb.gz'],
    ['parca__node-profile.pb.gz'],
    ['google-pprof__cppbench.cpu_no_samples_type'],
    ['conprof__diff.pb.gz'],
    ['datadog-pprof-format__non-packed-repeated.pprof'],
  ])('on %s: the root total is the sum of values and every total is self plus children', (name) => {
    const profile = decodeProfile(readFixture(name));
    const index = defaultSampleIndex(profile);
    const tree = buildCallTree(profile, index);
    expect(tree.total[0]).toBe(totals(profile)[index]);
    expect(tree.sampleType).toBe(profile.sampleTypes[index]);
    expectConsistent(tree);
  });

  it.each([
    ['one stack', 'main;a;b 140\n'],
    ['shared prefixes', 'main;a 10\nmain;a;b 5\nmain;a;c 7\nmain;d 1\n'],
    ['recursion', 'main;fib;fib 4\nmain;fib;fib;fib 8\n'],
    ['several roots', 'main;serve 3\nruntime.gcBgMarkWorker;runtime.scanobject 2\n'],
    ['negative values', 'main;grew 30\nmain;shrank -12\n'],
  ])('keeps every stack of %s', (_, text) => {
    expect(callTreeToFolded(buildCallTree(folded(text), 0))).toBe(text);
  });

  it('orders nodes depth first with siblings by name', () => {
    const tree = buildCallTree(folded('main;zeta 1\nmain;alpha;y 1\nmain;alpha;x 1\nlib 1\n'), 0);
    expect(tree.name.map((nameIndex, node) => `${'  '.repeat(tree.depth[node])}${tree.names[nameIndex]}`)).toEqual([
      'root', '  lib', '  main', '    alpha', '      x', '      y', '    zeta',
    ]);
    expect(tree.parent).toEqual([-1, 0, 0, 2, 3, 3, 2]);
  });

  it('puts samples without a stack in the root self value', () => {
    const profile = folded('main;work 5\n');
    const tree = buildCallTree({ ...profile, samples: [...profile.samples, { locations: [], values: [3], labels: [] }] }, 0);
    expect({ self: tree.self[0], total: tree.total[0] }).toEqual({ self: 3, total: 8 });
  });

  it('expands inlined calls into frames of their own, caller above callee', () => {
    expect(callTreeToFolded(buildCallTree(inlinedProfile(), 0))).toBe('main;handle;parse 7\n');
  });

  it('names frames without symbols after their binary, as top does', () => {
    const profile = inlinedProfile();
    const stripped: Profile = { ...profile, samples: profile.samples.map((s) => ({ ...s, locations: s.locations.map((l) => ({ ...l, lines: [] })) })) };
    expect(callTreeToFolded(buildCallTree(stripped, 0))).toBe('[server];[server] 7\n');
  });
});

describe('buildCallTree trimming', () => {
  const text = 'a;b 90\na;c 6\na;c;d 3\na;e 1\n';

  it.each([
    [0, 'a;b 90\na;c 6\na;c;d 3\na;e 1\n', 0, 0],
    [0.02, 'a;b 90\na;c 6\na;c;d 3\n', 1, 1],
    [0.05, 'a;b 90\na;c 6\n', 2, 4],
    // c's subtree holds d: one subtree hidden, however many nodes it holds.
    [0.5, 'a;b 90\n', 2, 10],
  ])('with nodeFraction %d hides small subtrees and reports them', (nodeFraction, kept, trimmedSubtrees, trimmedValue) => {
    const tree = buildCallTree(folded(text), 0, { nodeFraction });
    expect(callTreeToFolded(tree)).toBe(kept);
    expect({ trimmedSubtrees, trimmedValue }).toEqual({ trimmedSubtrees: tree.trimmedSubtrees, trimmedValue: tree.trimmedValue });
    expect(tree.total[0]).toBe(100);
  });

  it('keeps a diff node whose changes cancel out but are large', () => {
    const tree = buildCallTree(folded('a;grew 50\na;noise 2\na;shrank -48\n'), 0, { nodeFraction: 0.05 });
    expect(callTreeToFolded(tree)).toBe('a;grew 50\na;shrank -48\n');
    expect({ root: tree.total[0], trimmedValue: tree.trimmedValue }).toEqual({ root: 4, trimmedValue: 2 });
  });

  it('stays usable on a profile of 50,000+ distinct stacks', () => {
    const profile = syntheticProfile({ seed: 7, ...SYNTHETIC_PRESETS.huge });
    expect(profile.samples.length).toBeGreaterThan(50_000);
    const full = buildCallTree(profile, 1);
    expect(full.name.length).toBeGreaterThan(50_000);
    expectConsistent(full);
    const trimmed = buildCallTree(profile, 1, { nodeFraction: 0.005 });
    // The hidden subtrees are those of the full tree's nodes under the cut whose parents are over it.
    const cut = 0.005 * full.total[0];
    const hiddenTops = full.total.filter((total, i) => i > 0 && total < cut && full.total[full.parent[i]] >= cut);
    expect(hiddenTops.length).toBeGreaterThan(100);
    expect(trimmed.trimmedSubtrees).toBe(hiddenTops.length);
    expect(trimmed.trimmedValue).toBe(hiddenTops.reduce((a, b) => a + b, 0));
    expect(trimmed.name.length).toBe(full.total.filter((total) => total >= cut).length);
    expect(trimmed.name.length).toBeLessThan(full.name.length / 10);
    // Every value is either in a node shown or in exactly one hidden subtree.
    expect(trimmed.self.reduce((a, b) => a + b, 0) + trimmed.trimmedValue).toBe(full.total[0]);
  });
});

describe('buildCallTree refuses', () => {
  it.each([
    [{ nodeFraction: -0.1 }, 0, /node fraction must be between 0 and 1, not -0.1/],
    [{ nodeFraction: Number.NaN }, 0, /node fraction/],
    [{}, 2, /sample index 2 is out of range: the profile has 1 sample types/],
  ])('%j with sample index %d', (options, index, message) => {
    let error: unknown;
    try {
      buildCallTree(folded('a 1'), index, options);
    } catch (err) {
      error = err;
    }
    expect(isProfileError(error, 'invalid_value')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});

/** One sample whose leaf location holds `parse` inlined into `handle`, called from `main`. */
function inlinedProfile(): Profile {
  const fn = (id: number, name: string): Func => ({ id, name, systemName: name, filename: 'server.go', startLine: 1 });
  const [main, handle, parse] = [fn(1, 'main'), fn(2, 'handle'), fn(3, 'parse')];
  const mapping: Mapping = {
    id: 1, memoryStart: 0x400000n, memoryLimit: 0x800000n, fileOffset: 0n, file: '/usr/bin/server', buildId: 'abc',
    hasFunctions: true, hasFilenames: true, hasLineNumbers: true, hasInlineFrames: true,
  };
  const leaf: Location = {
    id: 1, mapping, address: 0x401000n, isFolded: false,
    lines: [{ fn: parse, line: 20, column: 0 }, { fn: handle, line: 10, column: 0 }],
  };
  const caller: Location = { id: 2, mapping, address: 0x402000n, isFolded: false, lines: [{ fn: main, line: 5, column: 0 }] };
  return {
    ...folded(''),
    samples: [{ locations: [leaf, caller], values: [7], labels: [] }],
    mappings: [mapping], locations: [leaf, caller], functions: [main, handle, parse],
  };
}

import { describe, expect, it } from 'vitest';
import { buildCallTree, formatPercent, formatValue, isProfileError, scaleValue, top } from '../../lib/pprof';
import type { Func, Location, Mapping, Profile, SampleLabel } from '../../lib/pprof';

/**
 * A stack is written leaf first, one location per entry: `fn`, `inlined|caller` for a location with
 * an inlined frame (innermost first, as in profile.proto), `@/path/to/binary` for an unsymbolized
 * location in that binary, and `?` for one with neither lines nor mapping.
 */
type Stack = { stack: string[]; value: number; labels?: SampleLabel[] };

function profileOf(stacks: Stack[]): Profile {
  const functions = new Map<string, Func>();
  const mappings = new Map<string, Mapping>();
  const locations = new Map<string, Location>();
  const fn = (name: string) => functions.get(name) ?? functions.set(name, { id: functions.size + 1, name, systemName: name, filename: 'x.go', startLine: 1 }).get(name)!;
  const mapping = (file: string) => mappings.get(file) ?? mappings.set(file, {
    id: mappings.size + 1, memoryStart: 0n, memoryLimit: 0n, fileOffset: 0n, file, buildId: '',
    hasFunctions: false, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false,
  }).get(file)!;
  const location = (spec: string): Location => {
    const found = locations.get(spec);
    if (found) return found;
    const unsymbolized = spec.startsWith('@') || spec === '?';
    const created: Location = {
      id: locations.size + 1,
      mapping: spec.startsWith('@') ? mapping(spec.slice(1)) : null,
      address: BigInt(0x1000 + locations.size),
      lines: unsymbolized ? [] : spec.split('|').map((name) => ({ fn: fn(name), line: 1, column: 0 })),
      isFolded: false,
    };
    locations.set(spec, created);
    return created;
  };
  const samples = stacks.map((s) => ({ locations: s.stack.map(location), values: [s.value, s.value * 10], labels: s.labels ?? [] }));
  return {
    sampleTypes: [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }],
    defaultSampleType: '', samples, mappings: [...mappings.values()], locations: [...locations.values()],
    functions: [...functions.values()], dropFrames: '', keepFrames: '', timeNanos: 0n, durationNanos: 0,
    periodType: null, period: 0, comments: [], docUrl: '',
  };
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  return undefined;
}

const rows = (profile: Profile, options = {}) => top(profile, { sampleType: 0, nodeFraction: 0, ...options }).items;

describe('top', () => {
  it.each([
    {
      what: 'flat goes to the leaf, cum to every frame on the stack',
      stacks: [{ stack: ['leaf', 'mid', 'main'], value: 3 }, { stack: ['mid', 'main'], value: 2 }],
      want: [['leaf', 3, 3], ['mid', 2, 5], ['main', 0, 5]],
    },
    {
      what: 'a recursive function counts once per stack in cum',
      stacks: [{ stack: ['fib', 'fib', 'fib', 'main'], value: 4 }],
      want: [['fib', 4, 4], ['main', 0, 4]],
    },
    {
      what: 'a frame inlined everywhere it appears is marked (inline)',
      stacks: [{ stack: ['math.Abs|main.loop', 'main.main'], value: 5 }],
      want: [['math.Abs (inline)', 5, 5], ['main.loop', 0, 5], ['main.main', 0, 5]],
    },
    {
      what: 'a frame inlined at some call sites only is marked (partial-inline)',
      stacks: [{ stack: ['hash|put'], value: 2 }, { stack: ['hash', 'get'], value: 1 }],
      want: [['hash (partial-inline)', 3, 3], ['get', 0, 1], ['put', 0, 2]],
    },
    {
      what: 'unsymbolized code is named after its binary, or <unknown> without one',
      stacks: [{ stack: ['@/usr/lib/libc.so.6', '@/srv/bin/app'], value: 2 }, { stack: ['?'], value: 1 }],
      want: [['[libc.so.6]', 2, 2], ['<unknown>', 1, 1], ['[app]', 0, 2]],
    },
    {
      what: 'equal flat values are ordered by name, whatever their cum',
      stacks: [{ stack: ['b', 'x'], value: 1 }, { stack: ['a', 'y'], value: 1 }, { stack: ['y'], value: 1 }],
      want: [['a', 1, 1], ['b', 1, 1], ['y', 1, 2], ['x', 0, 1]],
    },
    {
      what: 'negative values (a diff) order by magnitude',
      stacks: [{ stack: ['grew'], value: 2 }, { stack: ['shrank'], value: -7 }],
      want: [['shrank', -7, -7], ['grew', 2, 2]],
    },
  ])('$what', ({ stacks, want }) => {
    expect(rows(profileOf(stacks)).map((r) => [r.name, r.flat, r.cum])).toEqual(want);
  });

  it('reads the chosen sample type, by name or index', () => {
    const profile = profileOf([{ stack: ['work'], value: 3 }]);
    expect(rows(profile, { sampleType: 'cpu' })[0].flat).toBe(30);
    expect(rows(profile, { sampleType: 0 })[0].flat).toBe(3);
    expect(top(profile).sampleType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
  });

  it('refuses a sample type the profile does not have, naming the valid ones', () => {
    const profile = profileOf([{ stack: ['work'], value: 3 }]);
    const error = thrown(() => top(profile, { sampleType: 'alloc_space' }));
    expect(isProfileError(error, 'invalid_value')).toBe(true);
    expect((error as Error).message).toMatch(/alloc_space.*0: samples\/count, 1: cpu\/nanoseconds/);
  });

  it('keeps functions of one name but different system names apart, as pprof does, and a function apart from a binary of its name', () => {
    const profile = profileOf([
      { stack: ['g', 'main'], value: 2 },
      { stack: ['f', 'main'], value: 2 },
      { stack: ['@/bin/srv', 'main'], value: 2 },
      { stack: ['[srv]', 'main'], value: 2 },
    ]);
    const g = profile.functions.find((f) => f.name === 'g')!;
    Object.assign(g, { name: 'f', systemName: 'f.v2' });
    expect(rows(profile)).toEqual([
      { name: '[srv]', flat: 2, cum: 2 },
      { name: '[srv]', flat: 2, cum: 2 },
      { name: 'f', flat: 2, cum: 2 },
      { name: 'f', flat: 2, cum: 2 },
      { name: 'main', flat: 0, cum: 8 },
    ]);
    const tree = buildCallTree(profile, 0);
    expect(tree.name.filter((n) => tree.names[n] === 'f')).toHaveLength(2);
  });

  it('limits the rows but still reports how many nodes there were', () => {
    const result = top(profileOf([{ stack: ['a', 'b', 'c', 'd'], value: 1 }]), { limit: 2, nodeFraction: 0 });
    expect(result.items.map((r) => r.name)).toEqual(['a', 'b']);
    expect(result.nodeCount).toBe(4);
  });

  it('drops nodes whose cum is below the node fraction of the total', () => {
    const result = top(profileOf([{ stack: ['hot', 'main'], value: 990 }, { stack: ['cold', 'main'], value: 10 }]), { sampleType: 0, nodeFraction: 0.05 });
    expect(result.items.map((r) => r.name)).toEqual(['hot', 'main']);
    expect(result).toMatchObject({ droppedNodes: 1, nodeCount: 2, nodeCutoff: 50 });
  });

  it('drops a diff\'s nodes by the signed flat sum but reports the cutoff of the total, as pprof prints it', () => {
    // go tool pprof -nodefraction=0.5 -top on this profile: "Dropped 1 node (cum <= 895B)" of 1790B total.
    const result = top(profileOf([{ stack: ['gain'], value: 900 }, { stack: ['loss'], value: -850 }, { stack: ['small'], value: 40 }]), { sampleType: 0, nodeFraction: 0.5 });
    expect(result.items.map((r) => r.name)).toEqual(['gain', 'loss']);
    expect(result).toMatchObject({ total: 1790, droppedNodes: 1, nodeCutoff: 895 });
  });

  it('counts stackless samples in the total but gives them no row', () => {
    const result = top(profileOf([{ stack: ['work'], value: 3 }, { stack: [], value: 5 }]), { sampleType: 0 });
    expect(result.total).toBe(8);
    expect(result.items).toEqual([{ name: 'work', flat: 3, cum: 3 }]);
  });

  it('totals |value|, and only the base side of a diff when samples carry pprof::base', () => {
    const base: SampleLabel[] = [{ key: 'pprof::base', str: 'true', num: 0, numUnit: '' }];
    const plain = profileOf([{ stack: ['a'], value: -4 }, { stack: ['b'], value: 6 }]);
    const diff = profileOf([{ stack: ['a'], value: -4, labels: base }, { stack: ['b'], value: 6 }]);
    expect(top(plain, { sampleType: 0 }).total).toBe(10);
    expect(top(diff, { sampleType: 0 }).total).toBe(4);
  });
});

describe('value formatting', () => {
  it.each([
    [1280000000, 'nanoseconds', '1.28s'],
    [110000000, 'nanoseconds', '110ms'],
    [1500, 'microseconds', '1.50ms'],
    [7200e9, 'nanoseconds', '2hrs'],
    [1765955, 'bytes', '1.68MB'],
    [512, 'bytes', '512B'],
    [-3 * 2 ** 30, 'bytes', '-3GB'],
    [176, 'count', '176'],
    [0, 'nanoseconds', '0'],
    [0.001, 'bytes', '0'],
  ])('%d %s prints as %s', (value, unit, want) => {
    expect(formatValue(value, unit)).toBe(want);
  });

  // Go's strconv rounds a value exactly halfway to the even neighbour; toFixed would give 1025.13kB.
  it.each([
    [1049728, '1025.12kB'],
    [1049984, '1025.38kB'],
    [-1049728, '-1025.12kB'],
    [1050752, '1026.12kB'],
  ])('%d bytes prints in kB as go tool pprof prints it: %s', (value, want) => {
    expect(formatValue(value, 'bytes', 'kB')).toBe(want);
  });

  it('converts to a fixed unit when asked', () => {
    expect(scaleValue(1_500_000_000, 'nanoseconds', 'seconds')).toEqual({ value: 1.5, unit: 's' });
    expect(formatValue(1765955, 'bytes', 'bytes')).toBe('1765955B');
  });

  it.each([
    [128, 176, '72.73%'],
    [176, 176, '  100%'],
    [-6, 176, ' 3.41%'],
    [93, 1929855, '0.0048%'],
    [0, 176, '    0%'],
    [5, 0, '    0%'],
    // Halfway values, as Go prints them: %.2g of 0.125, 0.375 and 0.0625, %.2f of 12.125.
    [1, 800, ' 0.12%'],
    [3, 800, ' 0.38%'],
    [1, 1600, '0.062%'],
    [97, 800, '12.12%'],
  ])('%d of %d prints as %s', (value, total, want) => {
    expect(formatPercent(value, total)).toBe(want);
  });
});

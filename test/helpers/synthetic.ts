import type { Func, Location, Mapping, Profile, Sample, SampleLabel, ValueType } from '../../lib/pprof/model';

/**
 * The shape of a synthetic profile. A "program" (functions, call graph, addresses) comes from
 * `programSeed` and the shape options; `seed` only picks which stacks are sampled and their values, so
 * profiles that differ only in `seed` overlap like profiles of one service taken at different times.
 */
export interface SyntheticOptions {
  seed: number;
  programSeed?: number;
  /** Functions in the program; a profile holds only those its samples reach. */
  functions?: number;
  /** Stacks drawn. Identical stacks with identical labels are summed into one sample, as Go does. */
  samples?: number;
  maxDepth?: number;
  /** 'cpu': samples/count + cpu/nanoseconds. 'heap': Go's four heap types and a `bytes` label. */
  sampleTypes?: 'cpu' | 'heap';
  /** Fraction of call sites that carry an inlined frame (a location with two lines). */
  inlineFraction?: number;
  /** Distinct string label sets (handler, tenant) spread over samples; 0 for none. */
  labels?: number;
}

/**
 * Ready-made shapes. `large` is what issue #2 calls large (thousands of functions, deep stacks, tens
 * of thousands of samples): ~13k distinct samples and ~10k locations, ~1.1 MB raw, about the size of
 * google-pprof's large.cpu. `medium` (~1.2k samples, ~190 KB raw) keeps tests quick; `huge` holds 50k+
 * distinct stacks.
 */
export const SYNTHETIC_PRESETS = {
  medium: { functions: 2000, samples: 1600, maxDepth: 24, inlineFraction: 0.1, labels: 0 },
  large: { functions: 4000, samples: 20000, maxDepth: 32, inlineFraction: 0.1, labels: 0 },
  huge: { functions: 20000, samples: 80000, maxDepth: 48, inlineFraction: 0.1, labels: 8 },
} satisfies Record<string, Omit<SyntheticOptions, 'seed'>>;

const CPU_TYPES: ValueType[] = [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }];
const HEAP_TYPES: ValueType[] = [
  { type: 'alloc_objects', unit: 'count' }, { type: 'alloc_space', unit: 'bytes' },
  { type: 'inuse_objects', unit: 'count' }, { type: 'inuse_space', unit: 'bytes' },
];
const STD = ['runtime', 'sync', 'syscall', 'net', 'net/http', 'bufio', 'io', 'os', 'time', 'encoding/json',
  'compress/gzip', 'crypto/tls', 'fmt', 'strings', 'bytes', 'sort', 'context', 'reflect', 'strconv', 'internal/poll'];
const ORGS = ['acme', 'example', 'cloudco', 'gravel'];
const REPOS = ['orders', 'billing', 'gateway', 'search', 'ledger', 'auth'];
const MODULES = ['store', 'cache', 'api', 'codec', 'queue', 'metrics', 'rpc', 'model', 'authz', 'index', 'wal', 'sched'];
const TYPES = ['Server', 'Client', 'conn', 'Decoder', 'Encoder', 'Pool', 'Store', 'Cache', 'Handler', 'Router',
  'Queue', 'Batch', 'Writer', 'Reader', 'Txn', 'Index'];
const VERBS = ['Get', 'Put', 'Serve', 'Handle', 'Read', 'Write', 'Flush', 'Encode', 'Decode', 'Lookup', 'Insert',
  'Scan', 'Process', 'Dispatch', 'Marshal', 'Unmarshal', 'Compress', 'Run', 'Close', 'Open', 'Parse', 'Validate',
  'Apply', 'Commit', 'Fetch', 'Sync', 'Wait', 'Lock', 'Hash', 'Merge'];
const NOUNS = ['Request', 'Response', 'Header', 'Row', 'Batch', 'Key', 'Value', 'Record', 'Entry', 'Frame', 'Block',
  'Page', 'Span', 'Event', 'Token', 'Chunk'];
const FILES = ['server', 'client', 'codec', 'store', 'util'];
const LIBC = ['__memmove_avx_unaligned_erms', '__libc_write', '__libc_read', 'epoll_wait', 'pthread_cond_wait',
  '__lll_lock_wait', 'malloc', 'free', '__GI___poll', 'nanosleep', 'sched_yield', '__memset_avx2_unaligned'];
const HANDLERS = ['/api/v1/orders', '/api/v1/search', '/api/v1/login', '/healthz', '/api/v1/invoices', '/metrics'];
const SIZE_CLASSES = [16, 32, 48, 64, 128, 256, 512, 1024, 4096, 8192, 32768];

/**
 * mulberry32: a tiny seeded PRNG. Hand-written because only determinism matters here and no library in
 * the tree offers a seedable generator.
 */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

/** A program counter: the function it is in, an optional function inlined there, line and address. */
interface Site { fn: number; inlined: number; line: number; address: bigint; mapping: number }

interface Program {
  funcs: Func[];
  callees: number[][];
  callSites: Site[][];
  leafSites: Site[][];
  mappings: Mapping[];
}

function packagePaths(count: number): string[] {
  const paths = [...STD];
  for (const org of ORGS) for (const repo of REPOS) for (const area of ['internal', 'pkg']) {
    for (const mod of MODULES) paths.push(`github.com/${org}/${repo}/${area}/${mod}`);
  }
  return paths.slice(0, Math.min(paths.length, Math.max(STD.length + 8, count)));
}

/** Go-style names: `pkg.VerbNoun`, `pkg.(*Type).VerbNoun`, and `.funcN` closures to keep names unique. */
function goFunction(rng: () => number, pkg: string, id: number, taken: Set<string>): Func {
  const type = pick(rng, TYPES);
  const method = `${pick(rng, VERBS)}${pick(rng, NOUNS)}`;
  let name = rng() < 0.6 ? `${pkg}.(*${type}).${method}` : `${pkg}.${method}`;
  for (let n = 1; taken.has(name); n++) name = `${name.replace(/\.func\d+$/, '')}.func${n}`;
  taken.add(name);
  const root = pkg.startsWith('github.com/') ? '/go/src' : '/usr/local/go/src';
  const filename = `${root}/${pkg}/${pick(rng, FILES)}.go`;
  return { id, name, systemName: name, filename, startLine: 10 + Math.floor(rng() * 2000) };
}

function buildMappings(app: string): Mapping[] {
  const mapping = (id: number, file: string, start: bigint, size: bigint): Mapping => ({
    id, memoryStart: start, memoryLimit: start + size, fileOffset: 0n, file, buildId: `${file.length}${id}cafe`,
    hasFunctions: true, hasFilenames: true, hasLineNumbers: id === 1, hasInlineFrames: id === 1,
  });
  return [
    mapping(1, `/usr/local/bin/${app}`, 0x400000n, 0x8000000n),
    mapping(2, '/usr/lib/x86_64-linux-gnu/libc.so.6', 0x7f3a1c000000n, 0x200000n),
    mapping(3, '[vdso]', 0x7ffd8c5f2000n, 0x2000n),
  ];
}

/** Functions in levels: function 0 is runtime.goexit, the deepest level holds libc and vDSO code. */
function buildFunctions(rng: () => number, count: number, levels: number): { funcs: Func[]; mappingOf: number[]; level: number[] } {
  const pkgs = packagePaths(Math.round(count / 12));
  const taken = new Set<string>();
  const funcs: Func[] = [{ id: 1, name: 'runtime.goexit', systemName: 'runtime.goexit', filename: '/usr/local/go/src/runtime/asm_amd64.s', startLine: 1650 }];
  const mappingOf = [0];
  const level = [-1];
  const native = [...LIBC.slice(0, Math.max(1, Math.floor(count / 200))), '__vdso_clock_gettime'];
  for (let i = 1; i < count; i++) {
    const nativeIndex = i - (count - native.length);
    if (nativeIndex >= 0) {
      const name = native[nativeIndex];
      funcs.push({ id: i + 1, name, systemName: name, filename: '', startLine: 0 });
      mappingOf.push(name.startsWith('__vdso') ? 2 : 1);
      level.push(levels - 1);
    } else {
      // Application packages call into the standard library, not the other way round.
      const pkg = i < count / 2 ? pkgs[STD.length + Math.floor(rng() * (pkgs.length - STD.length))] : pick(rng, pkgs);
      funcs.push(goFunction(rng, pkg, i + 1, taken));
      mappingOf.push(0);
      level.push(Math.min(levels - 2, Math.floor(((i - 1) * (levels - 1)) / (count - native.length))));
    }
  }
  return { funcs, mappingOf, level };
}

/** The call graph: each function calls 1–5 functions one to three levels deeper, each from its own call site. */
function buildProgram(programSeed: number, count: number, levels: number, inlineFraction: number): Program {
  const rng = random(programSeed * 7919 + 1);
  const { funcs, mappingOf, level } = buildFunctions(rng, count, levels);
  const byLevel: number[][] = Array.from({ length: levels }, () => []);
  level.forEach((l, i) => l >= 0 && byLevel[l].push(i));
  const mappings = buildMappings(`svc${programSeed}`);
  const nextAddress = mappings.map((m) => m.memoryStart + 0x1000n);
  const site = (fn: number, k: number): Site => {
    const inlinable = level[fn] >= 0 && level[fn] + 1 < levels - 1;
    const inlined = rng() < inlineFraction && inlinable ? pick(rng, byLevel[level[fn] + 1]) : -1;
    const m = mappingOf[fn];
    nextAddress[m] += 16n + BigInt(Math.floor(rng() * 48));
    return { fn, inlined, line: funcs[fn].startLine + 2 + k * 3, address: nextAddress[m], mapping: m };
  };
  const callees: number[][] = [];
  const callSites: Site[][] = [];
  const leafSites: Site[][] = [];
  for (let fn = 0; fn < count; fn++) {
    const deeper = level[fn] + 1 + Math.floor(rng() * rng() * 3);
    const pool = byLevel[Math.min(deeper, levels - 1)];
    const fanout = level[fn] === -1 ? Math.min(40, byLevel[0].length) : 1 + Math.floor(rng() * 5);
    callees.push(level[fn] === levels - 1 ? [] : Array.from({ length: fanout }, (_, k) => (level[fn] === -1 ? byLevel[0][k] : pick(rng, pool))));
    callSites.push(callees[fn].map((_, k) => site(fn, k)));
    leafSites.push(Array.from({ length: 1 + (fn % 3) }, (_, k) => site(fn, callees[fn].length + k)));
  }
  return { funcs, callees, callSites, leafSites, mappings };
}

/** One stack, root first, as sites: a walk down the call graph that prefers each function's first callees. */
function drawStack(rng: () => number, program: Program, maxDepth: number): Site[] {
  const target = 3 + Math.floor(Math.sqrt(rng()) * (maxDepth - 3));
  const stack: Site[] = [];
  let fn = 0;
  while (stack.length + 1 < target && program.callees[fn].length > 0) {
    // Most calls take a function's hot path, so stacks share long prefixes as in real programs.
    const k = rng() < 0.8 ? 0 : Math.floor(rng() * program.callees[fn].length);
    stack.push(program.callSites[fn][k]);
    fn = program.callees[fn][k];
  }
  stack.push(pick(rng, program.leafSites[fn]));
  return stack;
}

/** Builds profile-side Func and Location objects on first use, with ids in first-use order as Go assigns them. */
class ProfileBuilder {
  readonly functions: Func[] = [];
  readonly locations: Location[] = [];
  private readonly funcByIndex = new Map<number, Func>();
  private readonly locationBySite = new Map<Site, Location>();

  constructor(private readonly program: Program) {}

  location(site: Site): Location {
    let location = this.locationBySite.get(site);
    if (!location) {
      const outer = { fn: this.func(site.fn), line: site.line, column: 0 };
      const lines = site.inlined < 0 ? [outer]
        : [{ fn: this.func(site.inlined), line: this.program.funcs[site.inlined].startLine + 1, column: 0 }, outer];
      location = { id: this.locations.length + 1, mapping: this.program.mappings[site.mapping], address: site.address, lines, isFolded: false };
      this.locations.push(location);
      this.locationBySite.set(site, location);
    }
    return location;
  }

  private func(index: number): Func {
    let fn = this.funcByIndex.get(index);
    if (!fn) {
      fn = { ...this.program.funcs[index], id: this.functions.length + 1 };
      this.functions.push(fn);
      this.funcByIndex.set(index, fn);
    }
    return fn;
  }
}

function sampleValues(rng: () => number, heap: boolean, leaf: Site): { values: number[]; size: number } {
  const count = 1 + Math.floor(-Math.log(1 - rng()) * 3);
  if (!heap) return { values: [count, count * 10_000_000], size: 0 };
  const size = SIZE_CLASSES[Number(leaf.address % BigInt(SIZE_CLASSES.length))];
  const inuse = Math.floor(count * rng());
  return { values: [count, count * size, inuse, inuse * size], size };
}

function labelSets(count: number): SampleLabel[][] {
  return Array.from({ length: count }, (_, i) => [
    { key: 'handler', str: HANDLERS[i % HANDLERS.length], num: 0, numUnit: '' },
    { key: 'tenant', str: `tenant-${i % 7}`, num: 0, numUnit: '' },
  ]);
}

/** A seeded, deterministic, realistic profile: same options, same profile, byte for byte once encoded. */
export function syntheticProfile(options: SyntheticOptions): Profile {
  const { seed, programSeed = 1, functions = 2000, samples = 2000, maxDepth = 24, sampleTypes = 'cpu', inlineFraction = 0, labels = 0 } = options;
  if (maxDepth < 4 || functions < Math.max(64, maxDepth * 4)) {
    throw new Error(`syntheticProfile needs maxDepth >= 4 and functions >= max(64, 4 * maxDepth), got ${maxDepth} and ${functions}`);
  }
  const program = buildProgram(programSeed, functions, maxDepth, inlineFraction);
  const rng = random(seed * 104729 + programSeed);
  const builder = new ProfileBuilder(program);
  const sets = labelSets(labels);
  const heap = sampleTypes === 'heap';
  const bySignature = new Map<string, { locations: Location[]; values: number[]; labels: SampleLabel[] }>();
  for (let i = 0; i < samples; i++) {
    const stack = drawStack(rng, program, maxDepth);
    const set = sets.length > 0 ? Math.floor(rng() * rng() * sets.length) : -1;
    const { values, size } = sampleValues(rng, heap, stack[stack.length - 1]);
    const locations = stack.map((site) => builder.location(site)).reverse();
    const key = `${locations.map((l) => l.id).join(',')}|${set}`;
    const existing = bySignature.get(key);
    if (existing) existing.values.forEach((_, j) => (existing.values[j] += values[j]));
    else {
      const sampleLabels = [...(set >= 0 ? sets[set] : []), ...(heap ? [{ key: 'bytes', str: '', num: size, numUnit: '' }] : [])];
      bySignature.set(key, { locations, values, labels: sampleLabels });
    }
  }
  const profileSamples: Sample[] = [...bySignature.values()];
  return {
    sampleTypes: heap ? HEAP_TYPES : CPU_TYPES,
    defaultSampleType: '',
    samples: profileSamples,
    mappings: program.mappings,
    locations: builder.locations,
    functions: builder.functions,
    dropFrames: '',
    keepFrames: '',
    timeNanos: 1_700_000_000_000_000_000n + BigInt(seed) * 10_000_000_000n,
    durationNanos: heap ? 0 : 10_000_000_000,
    periodType: heap ? { type: 'space', unit: 'bytes' } : { type: 'cpu', unit: 'nanoseconds' },
    period: heap ? 524288 : 10_000_000,
    comments: [],
    docUrl: '',
  };
}

import type { Func, Location, Mapping, SampleLabel } from './model';

/**
 * The deduplicating tables behind mergeProfiles, and the compaction that turns them into a Profile.
 *
 * Written by hand rather than keyed by strings: locations and stacks hash to 32-bit numbers and are
 * compared field by field on a hit. With a string key per stack (pprof's way) merging 60 large
 * profiles took more than twice as long, and this is the hot path of every merged query.
 */

/** Mixes one 32-bit word into a running hash (a MurmurHash3 round). */
export function mix(hash: number, word: number): number {
  let k = Math.imul(word | 0, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  const h = hash ^ k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

/**
 * Functions deduplicated by (name, system name, file name, start line). Chained by name rather than
 * keyed by one joined string: building and hashing that string for every function of every profile
 * was a third of the merge time.
 */
export class FunctionTable {
  readonly values: Func[] = [];
  private readonly byName = new Map<string, number>();
  private readonly next: number[] = [];

  /** The index of the function equal to `fn`, adding `fn` when there is none. */
  intern(fn: Func): number {
    const first = this.byName.get(fn.name) ?? -1;
    for (let i = first; i >= 0; i = this.next[i]) {
      const f = this.values[i];
      if (f.systemName === fn.systemName && f.filename === fn.filename && f.startLine === fn.startLine) return i;
    }
    const index = this.values.push(fn) - 1;
    this.next.push(first);
    this.byName.set(fn.name, index);
    return index;
  }
}

/**
 * Merged locations as parallel arrays; `lines` holds (function index, line, column) triples, and
 * `address` is relative to the mapping, a number whenever that is exact (see relativeAddress).
 */
export class LocationTable {
  readonly mapping: number[] = [];
  readonly address: (number | bigint)[] = [];
  readonly folded: boolean[] = [];
  readonly lines: number[][] = [];
  private readonly chains = new HashChains();

  /** The index of the location with these fields (mapping -1 for none), adding a copy when new. */
  intern(mapping: number, address: number | bigint, folded: boolean, lines: readonly number[]): number {
    const approx = Number(address);
    let hash = mix(mix(mix(mix(0, mapping), approx % 0x100000000), approx / 0x100000000), folded ? 1 : 0);
    for (const word of lines) hash = mix(hash, word);
    for (let i = this.chains.first(hash); i >= 0; i = this.chains.next(i)) {
      if (this.matches(i, mapping, address, folded, lines)) return i;
    }
    const index = this.mapping.push(mapping) - 1;
    this.address.push(address);
    this.folded.push(folded);
    this.lines.push(lines.slice());
    this.chains.add(hash, index);
    return index;
  }

  private matches(i: number, mapping: number, address: number | bigint, folded: boolean, lines: readonly number[]): boolean {
    const mine = this.lines[i];
    if (this.mapping[i] !== mapping || this.address[i] !== address || this.folded[i] !== folded) return false;
    if (mine.length !== lines.length) return false;
    for (let j = 0; j < lines.length; j++) if (mine[j] !== lines[j]) return false;
    return true;
  }
}

/**
 * Merged samples: stacks of location indices in one growing pool, values summed per sample type in
 * another. Two samples are one when their stacks and label sets are equal, as in pprof.
 */
export class SampleTable {
  private pool = new Int32Array(1 << 16);
  private poolUsed = 0;
  private readonly start: number[] = [];
  private readonly depth: number[] = [];
  private readonly labelSet: number[] = [];
  private readonly labels: (readonly SampleLabel[])[] = [];
  private sums: Float64Array;
  private readonly chains = new HashChains();
  private readonly labelSets = new Map<string, number>();

  constructor(private readonly typeCount: number) {
    this.sums = new Float64Array(1024 * typeCount);
  }

  /** Adds `values` to the sample whose stack is `stack[0, depth)` and whose labels are `labels`, creating it when new. */
  add(stack: Int32Array, depth: number, labels: readonly SampleLabel[], values: readonly number[]): void {
    const labelSet = labels.length === 0 ? 0 : this.labelSetId(labels);
    let hash = mix(labelSet, depth);
    for (let i = 0; i < depth; i++) hash = mix(hash, stack[i]);
    let index = this.chains.first(hash);
    while (index >= 0 && !this.matches(index, stack, depth, labelSet)) index = this.chains.next(index);
    if (index < 0) index = this.insert(hash, stack, depth, labels, labelSet);
    const base = index * this.typeCount;
    for (let j = 0; j < this.typeCount; j++) this.sums[base + j] += values[j];
  }

  /**
   * Calls `visit` for each sample, in order of first appearance, whose summed values are not all zero,
   * with its stack as `stack[start, start + depth)`.
   */
  forEachNonZero(visit: (stack: Int32Array, start: number, depth: number, labels: readonly SampleLabel[], values: number[]) => void): void {
    const n = this.typeCount;
    for (let i = 0; i < this.start.length; i++) {
      const values = new Array<number>(n);
      let nonZero = false;
      for (let j = 0; j < n; j++) nonZero = (values[j] = this.sums[i * n + j]) !== 0 || nonZero;
      if (nonZero) visit(this.pool, this.start[i], this.depth[i], this.labels[i], values);
    }
  }

  private matches(i: number, stack: Int32Array, depth: number, labelSet: number): boolean {
    if (this.depth[i] !== depth || this.labelSet[i] !== labelSet) return false;
    const start = this.start[i];
    for (let j = 0; j < depth; j++) if (this.pool[start + j] !== stack[j]) return false;
    return true;
  }

  private insert(hash: number, stack: Int32Array, depth: number, labels: readonly SampleLabel[], labelSet: number): number {
    if (this.poolUsed + depth > this.pool.length) this.pool = grow(this.pool, this.poolUsed + depth);
    for (let j = 0; j < depth; j++) this.pool[this.poolUsed + j] = stack[j];
    const index = this.start.push(this.poolUsed) - 1;
    this.poolUsed += depth;
    this.depth.push(depth);
    this.labelSet.push(labelSet);
    this.labels.push(labels);
    if ((index + 1) * this.typeCount > this.sums.length) this.sums = grow(this.sums, (index + 1) * this.typeCount);
    this.chains.add(hash, index);
    return index;
  }

  /**
   * Numbers label sets as pprof compares them: string labels and numeric labels (with units) grouped
   * by key in key order, values in their given order; a label with neither a value nor a unit is none.
   */
  private labelSetId(labels: readonly SampleLabel[]): number {
    const parts: [string, string][] = [];
    for (const l of labels) {
      const key = `${l.str !== '' ? 's' : 'n'}${l.key.length}:${l.key}`;
      if (l.str !== '') parts.push([key, `${l.str.length}:${l.str}`]);
      else if (l.num !== 0 || l.numUnit !== '') parts.push([key, `${l.num}:${l.numUnit}`]);
    }
    if (parts.length === 0) return 0;
    parts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const canonical = parts.map(([key, value]) => key + value).join('\n');
    let id = this.labelSets.get(canonical);
    if (id === undefined) this.labelSets.set(canonical, (id = this.labelSets.size + 1));
    return id;
  }
}

/**
 * Entry indices chained by 32-bit hash in typed arrays: an open-addressing table from a hash to the
 * newest entry with it, and from each entry a link to the one before. Written by hand because
 * inserting into a growing Map<number, number> was one of the largest costs of merging.
 */
export class HashChains {
  private hashes = new Int32Array(1024);
  private heads = new Int32Array(1024).fill(-1);
  private links = new Int32Array(1024);
  private used = 0;

  /** The newest entry with this hash, or -1. */
  first(hash: number): number {
    return this.heads[this.slot(hash)];
  }

  /** The entry with the same hash added before `entry`, or -1. */
  next(entry: number): number {
    return this.links[entry];
  }

  /** Records `entry` (entries are numbered 0, 1, 2, …) as the newest with this hash. */
  add(hash: number, entry: number): void {
    if (entry >= this.links.length) this.links = grow(this.links, entry + 1);
    const slot = this.slot(hash);
    this.links[entry] = this.heads[slot];
    this.hashes[slot] = hash;
    this.heads[slot] = entry;
    if (this.links[entry] < 0 && ++this.used * 2 > this.heads.length) this.rehash();
  }

  private slot(hash: number): number {
    const mask = this.heads.length - 1;
    let slot = hash & mask;
    while (this.heads[slot] >= 0 && this.hashes[slot] !== hash) slot = (slot + 1) & mask;
    return slot;
  }

  private rehash(): void {
    const { hashes, heads } = this;
    this.hashes = new Int32Array(heads.length * 2);
    this.heads = new Int32Array(heads.length * 2).fill(-1);
    for (let old = 0; old < heads.length; old++) {
      if (heads[old] < 0) continue;
      const slot = this.slot(hashes[old]);
      this.hashes[slot] = hashes[old];
      this.heads[slot] = heads[old];
    }
  }
}

/** A copy of `array` at least `needed` long, doubling its length at the least. */
export function grow<T extends Int32Array | Float64Array>(array: T, needed: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2));
  bigger.set(array);
  return bigger;
}

/**
 * Builds the output entities of a merged profile on first use, so IDs run from 1 in the order pprof
 * gives them (mapping, then functions, then location, as samples reference them) and nothing that no
 * sample reaches survives.
 */
export class CompactingBuilder {
  readonly mappings: Mapping[] = [];
  readonly functions: Func[] = [];
  readonly locations: Location[] = [];
  private readonly mappingOut: Mapping[] = [];
  private readonly functionOut: Func[] = [];
  private readonly locationOut: Location[] = [];

  constructor(
    private readonly mappingSources: readonly Mapping[],
    private readonly functionSources: readonly Func[],
    private readonly table: LocationTable,
  ) {}

  /** The output mapping for merged mapping `i`. */
  mapping(i: number): Mapping {
    if (!this.mappingOut[i]) this.mappings.push((this.mappingOut[i] = { ...this.mappingSources[i], id: this.mappings.length + 1 }));
    return this.mappingOut[i];
  }

  /** The output location for merged location `i`, its address moved into its output mapping. */
  location(i: number): Location {
    const done = this.locationOut[i];
    if (done) return done;
    const mapping = this.table.mapping[i] >= 0 ? this.mapping(this.table.mapping[i]) : null;
    const triples = this.table.lines[i];
    const lines = [];
    for (let j = 0; j < triples.length; j += 3) {
      lines.push({ fn: this.func(triples[j]), line: triples[j + 1], column: triples[j + 2] });
    }
    const relative = BigInt(this.table.address[i]);
    // Wraps as pprof's uint64 arithmetic does when an address lay below its mapping's start.
    const address = mapping ? BigInt.asUintN(64, relative + mapping.memoryStart) : relative;
    const location = { id: this.locations.length + 1, mapping, address, lines, isFolded: this.table.folded[i] };
    this.locations.push((this.locationOut[i] = location));
    return location;
  }

  private func(i: number): Func {
    if (!this.functionOut[i]) this.functions.push((this.functionOut[i] = { ...this.functionSources[i], id: this.functions.length + 1 }));
    return this.functionOut[i];
  }
}

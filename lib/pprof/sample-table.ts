import { SampleColumns } from './decode-sample-columns';
import { HashChains, mix } from './hash-chains';
import { grow } from './lists';
import type { SampleLabel } from './model';

/**
 * Merged samples: stacks of merged location indices in one growing pool, values summed per sample type
 * in another. Two samples are one when their stacks and label sets are equal, as in pprof.
 */
export class SampleTable {
  private pool = new Int32Array(1 << 16);
  private poolUsed = 0;
  private count = 0;
  private start = new Int32Array(1024);
  private depth = new Int32Array(1024);
  private labelSet = new Int32Array(1024);
  private readonly labels: (readonly SampleLabel[])[] = [];
  private sums: Float64Array;
  private readonly chains = new HashChains();
  private readonly labelSets = new Map<string, number>();

  constructor(private readonly typeCount: number) {
    this.sums = new Float64Array(1024 * typeCount);
  }

  /**
   * Adds `values` to the sample whose stack is `stack[0, depth)` and whose labels are `labels` (of
   * label set `labelSet`, from `labelSetId`), creating it when new.
   */
  add(stack: Int32Array, depth: number, labelSet: number, labels: readonly SampleLabel[], values: ArrayLike<number>): void {
    let hash = mix(labelSet, depth);
    for (let i = 0; i < depth; i++) hash = mix(hash, stack[i]);
    let index = this.chains.first(hash);
    while (index >= 0 && !this.matches(index, stack, depth, labelSet)) index = this.chains.next(index);
    if (index < 0) index = this.insert(hash, stack, depth, labels, labelSet);
    const base = index * this.typeCount;
    for (let j = 0; j < this.typeCount; j++) this.sums[base + j] += values[j];
  }

  /**
   * Numbers label sets as pprof compares them: string labels and numeric labels (with units) grouped
   * by key in key order, values in their given order; a label with neither a value nor a unit is none.
   * Callers remember the number per labels array: building the canonical form is the slow part.
   */
  labelSetId(labels: readonly SampleLabel[]): number {
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

  /**
   * The samples, in order of first appearance, whose summed values are not all zero, as columns in
   * arrays of their exact size. Their stacks are still merged location indices, for the caller to
   * renumber in place.
   */
  nonZeroColumns(): SampleColumns {
    const n = this.typeCount;
    const { sums } = this;
    const kept = new Uint8Array(this.count);
    let count = 0, entries = 0;
    for (let i = 0; i < this.count; i++) {
      for (let j = 0; j < n; j++) {
        if (sums[i * n + j] !== 0) {
          kept[i] = 1;
          count++;
          entries += this.depth[i];
          break;
        }
      }
    }
    const out = new SampleColumns();
    out.count = count;
    out.typeCount = n;
    out.stackStart = new Int32Array(count + 1);
    out.stacks = new Int32Array(entries);
    out.values = new Float64Array(n * count);
    const { pool } = this;
    const { stacks, values } = out;
    // Copied in loops rather than with subarray, which would allocate two views per sample.
    for (let i = 0, k = 0, used = 0; i < this.count; i++) {
      if (kept[i] === 0) continue;
      for (let j = this.start[i], end = j + this.depth[i]; j < end; j++) stacks[used++] = pool[j];
      out.stackStart[k + 1] = used;
      for (let j = 0; j < n; j++) values[n * k + j] = sums[n * i + j];
      out.labels.push(this.labels[i]);
      k++;
    }
    return out;
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
    const index = this.count++;
    if (this.count > this.start.length) {
      this.start = grow(this.start, this.count);
      this.depth = grow(this.depth, this.count);
      this.labelSet = grow(this.labelSet, this.count);
    }
    this.start[index] = this.poolUsed;
    this.depth[index] = depth;
    this.labelSet[index] = labelSet;
    this.labels.push(labels);
    this.poolUsed += depth;
    if (this.count * this.typeCount > this.sums.length) this.sums = grow(this.sums, this.count * this.typeCount);
    this.chains.add(hash, index);
    return index;
  }
}

/** True when every value is zero: pprof drops such samples from a merge. */
export function isZero(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
}

import { SampleColumns } from './decode-sample-columns';
import { LabelLists } from './decode-samples';
import { addWord, avalanche, HashChains } from './hash-chains';
import { atLeast, grow } from './lists';
import type { SampleLabel } from './model';

/**
 * Samples per pass of addAll: few enough that the slots, records and stacks one pass loads are still
 * in the cache for the next (512 samples of 20 frames: ~200 KB).
 */
const PASS_SAMPLES = 512;

/** Entries of one pool chunk: 4 MB, so growing the pool never copies the stacks it holds. */
const CHUNK_ENTRIES = 1 << 20;

/**
 * Merged samples: stacks of merged location indices in a pool of chunks, and per sample one record
 * of (chunk, offset, depth, label set) followed by its value sums, one per sample type. Two samples
 * are one when their stacks and label sets are equal, as in pprof.
 *
 * Merging is bound by memory latency, not arithmetic: a merge of 60 large profiles probes a table of
 * 395,000 samples 780,000 times. A sample's fields and sums share one record, so a hit touches the
 * hash slot, the record and the stack (three cache misses) where separate arrays per field took six;
 * a pool of chunks is never copied as it grows; and `addAll` overlaps the misses of a profile's
 * samples. Adding the 60 profiles' samples took a median of 755–795 ms before these three changes,
 * 634–671 ms after (old and new interleaved in one process, 10 rounds each, busy machine).
 */
export class SampleTable {
  private readonly chunks: Int32Array[] = [new Int32Array(64 * 1024)];
  private chunkUsed = 0;
  private count = 0;
  /** Record `i` is the ints `ints[recordInts * i]` to `ints[recordInts * i + 3]`, then its sums as doubles. */
  private records: ArrayBuffer;
  private ints: Int32Array;
  private doubles: Float64Array;
  private readonly recordInts: number;
  /** Each entry's labels, as a number in `labelLists`. */
  private labelIndex = new Int32Array(1024);
  private readonly labelLists = new LabelLists();
  private readonly chains = new HashChains();
  private readonly labelSets = new Map<string, number>();
  /** addAll's room: the entry each sample matched, -1 for none yet. */
  private found = new Int32Array(1024);

  constructor(private readonly typeCount: number) {
    this.recordInts = 4 + 2 * typeCount;
    this.records = new ArrayBuffer(1024 * 4 * this.recordInts);
    this.ints = new Int32Array(this.records);
    this.doubles = new Float64Array(this.records);
  }

  /**
   * Adds `values` to the sample whose stack is `stack[0, depth)` and whose labels are `labels` (of
   * label set `labelSet`, from `labelSetId`), creating it when new.
   */
  add(stack: Int32Array, depth: number, labelSet: number, labels: readonly SampleLabel[], values: ArrayLike<number>): void {
    this.sum(this.entry(stackHash(stack, 0, depth, labelSet), stack, 0, depth, labelSet, labels), values, 0);
  }

  /**
   * Adds every sample of the batch, as `add` would one after another. In passes over the batch's
   * hashed samples (look up every hash slot, then check every record, then compare every stack)
   * whose loads do not wait on one another, so the processor overlaps their cache misses; a
   * sample at a time, each miss waited for the one before. Samples the passes could not match to an
   * entry (new ones, hash collisions) then go through `add`'s path (`entry`) in order.
   */
  addAll(batch: SampleBatch): void {
    const { count } = batch;
    this.found = atLeast(this.found, count);
    for (let from = 0; from < count; from += PASS_SAMPLES) this.addPasses(batch, from, Math.min(count, from + PASS_SAMPLES));
  }

  /** addAll's passes over the batch's samples `from` to `to`. */
  private addPasses(batch: SampleBatch, from: number, to: number): void {
    const { stackStart, stacks, labelSets, values, hashes } = batch;
    const { found, recordInts, ints } = this;
    for (let i = from; i < to; i++) found[i] = this.chains.first(hashes[i]);
    for (let i = from; i < to; i++) {
      const at = recordInts * found[i];
      if (at >= 0 && (ints[at + 2] !== stackStart[i + 1] - stackStart[i] || ints[at + 3] !== labelSets[i])) found[i] = -1;
    }
    for (let i = from; i < to; i++) {
      if (found[i] >= 0 && !this.sameStack(found[i], stacks, stackStart[i])) found[i] = -1;
    }
    for (let i = from; i < to; i++) {
      const start = stackStart[i];
      const index = found[i] >= 0 ? found[i] : this.entry(hashes[i], stacks, start, stackStart[i + 1] - start, labelSets[i], batch.labelLists[batch.labelIndex[i]]);
      this.sum(index, values, this.typeCount * i);
    }
  }

  /** The entry of the stack `stack[start, start + depth)` with this label set, created when new. */
  private entry(hash: number, stack: Int32Array, start: number, depth: number, labelSet: number, labels: readonly SampleLabel[]): number {
    const index = this.find(hash, stack, start, depth, labelSet);
    return index >= 0 ? index : this.insert(hash, stack, start, depth, labels, labelSet);
  }

  /** Adds the values from `values[from]`, one per sample type, to entry `index`'s sums. */
  private sum(index: number, values: ArrayLike<number>, from: number): void {
    const { doubles } = this;
    const base = (this.recordInts >> 1) * index + 2;
    for (let j = 0; j < this.typeCount; j++) doubles[base + j] += values[from + j];
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
    const { ints, doubles, recordInts } = this;
    const kept = new Uint8Array(this.count);
    let count = 0, entries = 0;
    for (let i = 0; i < this.count; i++) {
      const sums = (recordInts >> 1) * i + 2;
      for (let j = 0; j < n; j++) {
        if (doubles[sums + j] !== 0) {
          kept[i] = 1;
          count++;
          entries += ints[recordInts * i + 2];
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
    out.labelIndex = new Int32Array(count);
    out.labelLists = this.labelLists.lists;
    const { stacks, values } = out;
    // Kept samples whose stacks lie end to end in one chunk are copied as one run, natively: with a
    // loop per entry, `result()` of the merge of 60 large synthetic profiles took 1.45x as long.
    let runChunk = -1, runStart = 0, runEnd = 0, used = 0;
    for (let i = 0, k = 0; i < this.count; i++) {
      if (kept[i] === 0) continue;
      const at = recordInts * i;
      if (ints[at] !== runChunk || ints[at + 1] !== runEnd) {
        used = this.copyRun(stacks, used, runChunk, runStart, runEnd);
        runChunk = ints[at];
        runStart = runEnd = ints[at + 1];
      }
      runEnd += ints[at + 2];
      out.stackStart[k + 1] = used + runEnd - runStart;
      const sums = (recordInts >> 1) * i + 2;
      for (let j = 0; j < n; j++) values[n * k + j] = doubles[sums + j];
      out.labelIndex[k] = this.labelIndex[i];
      k++;
    }
    this.copyRun(stacks, used, runChunk, runStart, runEnd);
    return out;
  }

  /** Copies chunk `chunk`'s entries [start, end) to `stacks` at `used`; returns the new end there. */
  private copyRun(stacks: Int32Array, used: number, chunk: number, start: number, end: number): number {
    if (end > start) stacks.set(this.chunks[chunk].subarray(start, end), used);
    return used + end - start;
  }

  /** The entry with this hash, stack `stack[start, start + depth)` and label set, or -1. */
  private find(hash: number, stack: Int32Array, start: number, depth: number, labelSet: number): number {
    const { ints, recordInts } = this;
    for (let index = this.chains.first(hash); index >= 0; index = this.chains.next(index)) {
      const at = recordInts * index;
      if (ints[at + 2] === depth && ints[at + 3] === labelSet && this.sameStack(index, stack, start)) return index;
    }
    return -1;
  }

  /** Whether entry `index`'s stack equals the one of its depth from `stack[start]`. */
  private sameStack(index: number, stack: Int32Array, start: number): boolean {
    const at = this.recordInts * index;
    const chunk = this.chunks[this.ints[at]];
    const offset = this.ints[at + 1] - start;
    for (let j = start, end = start + this.ints[at + 2]; j < end; j++) if (chunk[offset + j] !== stack[j]) return false;
    return true;
  }

  private insert(hash: number, stack: Int32Array, start: number, depth: number, labels: readonly SampleLabel[], labelSet: number): number {
    let chunk = this.chunks[this.chunks.length - 1];
    if (this.chunkUsed + depth > chunk.length) chunk = this.roomFor(depth);
    for (let j = 0; j < depth; j++) chunk[this.chunkUsed + j] = stack[start + j];
    const index = this.count++;
    if (this.count * 4 * this.recordInts > this.records.byteLength) this.growRecords();
    const at = this.recordInts * index;
    this.ints[at] = this.chunks.length - 1;
    this.ints[at + 1] = this.chunkUsed;
    this.ints[at + 2] = depth;
    this.ints[at + 3] = labelSet;
    if (index === this.labelIndex.length) this.labelIndex = grow(this.labelIndex, index + 1);
    this.labelIndex[index] = this.labelLists.of(labels);
    this.chunkUsed += depth;
    this.chains.add(hash, index);
    return index;
  }

  /** A chunk with room for `depth` more entries at `chunkUsed`. */
  private roomFor(depth: number): Int32Array {
    const last = this.chunks.length - 1;
    // A small merge stays in its first chunk, grown by copying while that is cheap.
    if (last === 0 && this.chunkUsed + depth <= CHUNK_ENTRIES) return (this.chunks[0] = grow(this.chunks[0], this.chunkUsed + depth));
    this.chunks.push(new Int32Array(Math.max(CHUNK_ENTRIES, depth)));
    this.chunkUsed = 0;
    return this.chunks[last + 1];
  }

  private growRecords(): void {
    const bigger = new ArrayBuffer(2 * this.records.byteLength);
    new Uint8Array(bigger).set(new Uint8Array(this.records));
    this.records = bigger;
    this.ints = new Int32Array(bigger);
    this.doubles = new Float64Array(bigger);
  }
}

/** True when the `n` values from `values[start]` are all zero: pprof drops such samples from a merge. */
export function isZero(values: ArrayLike<number>, start = 0, n = values.length): boolean {
  for (let j = start; j < start + n; j++) if (values[j] !== 0) return false;
  return true;
}

/**
 * The hash of the stack `stack[start, end)` with its label set. FxHash steps and one finaliser rather
 * than a MurmurHash3 round per entry: a third of the multiplications, on the 16 million stack entries
 * a merge of 60 large profiles hashes. ColumnsAdder takes it in its own loop, by the same three steps.
 */
export function stackHash(stack: Int32Array, start: number, end: number, labelSet: number): number {
  let hash = stackHashStart(labelSet, end - start);
  for (let j = start; j < end; j++) hash = addWord(hash, stack[j]);
  return avalanche(hash);
}

/** stackHash's running hash before the first entry of a stack of `depth` entries; `addWord` adds each entry, `avalanche` finishes it. */
export function stackHashStart(labelSet: number, depth: number): number {
  return addWord(labelSet, depth);
}

/**
 * Samples of one profile to add to a SampleTable at once, their stacks already merged location
 * indices: sample `i` has the stack `stacks[stackStart[i]]` up to `stacks[stackStart[i + 1]]`, the
 * values `values[typeCount * i]` on and the labels `labelLists[labelIndex[i]]`, of label set
 * `labelSets[i]`, and `hashes[i]` is stackHash of its stack and label set. Reused from profile to
 * profile, keeping the room its arrays grew.
 */
export class SampleBatch {
  count = 0;
  stackStart = new Int32Array(1025);
  stacks = new Int32Array(16 * 1024);
  labelSets = new Int32Array(1024);
  hashes = new Int32Array(1024);
  values = new Float64Array(1024);
  labelIndex = new Int32Array(1024);
  labelLists: readonly (readonly SampleLabel[])[] = [];

  /**
   * Empties the batch, with room for `samples` samples of `entries` stack entries in all and
   * `typeCount` values each, their labels numbers in `labelLists`.
   */
  reset(samples: number, entries: number, typeCount: number, labelLists: readonly (readonly SampleLabel[])[]): void {
    this.count = 0;
    this.stackStart = atLeast(this.stackStart, samples + 1);
    this.stacks = atLeast(this.stacks, entries);
    this.labelSets = atLeast(this.labelSets, samples);
    this.hashes = atLeast(this.hashes, samples);
    this.values = atLeast(this.values, samples * typeCount);
    this.labelIndex = atLeast(this.labelIndex, samples);
    this.labelLists = labelLists;
  }
}

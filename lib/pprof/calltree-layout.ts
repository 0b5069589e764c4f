import type { CallTree } from './calltree';
import type { SampleStacks } from './calltree-stacks';
import { grow } from './lists';

/**
 * Growing a call tree straight into its output order (depth first, siblings by name), small subtrees
 * trimmed, then copying it into the flat columns of a CallTree.
 *
 * The samples are grouped rather than inserted into a tree: a node's samples are a run of positions,
 * sorted by the next frame of their stacks, and each run of equal frames is a child. Sorting by the
 * frames' rank by name makes the children come out in output order, and no node is ever looked up by
 * (parent, frame): on a merge of 60 large profiles (395k samples, 1.6 million nodes) building the
 * call tree by inserting each frame into a tree hashed by (parent, frame), then sorting siblings,
 * took ~1.3 s, this way ~0.5 s (medians of 9, both in one process); the hash table missed the cache
 * on nearly every lookup.
 */

/**
 * The kept nodes in output order: node `i` is frame rank `frame[i]` (-1 for the root), under the node
 * at position `parent[i]`, at `depth[i]`. `base` and `baseSelf` are a diff's side-a values, left
 * empty unless asked for.
 */
export class Layout {
  kept = 0;
  frame = new Int32Array(1024);
  parent = new Int32Array(1024);
  depth = new Int32Array(1024);
  self = new Float64Array(1024);
  total = new Float64Array(1024);
  base: Float64Array;
  baseSelf: Float64Array;
  trimmedSubtrees = 0;
  trimmedValue = 0;

  constructor(withBase: boolean) {
    this.base = new Float64Array(withBase ? 1024 : 0);
    this.baseSelf = new Float64Array(withBase ? 1024 : 0);
  }

  add(frame: number, parent: number, depth: number, total: number, base: number): number {
    const position = this.kept++;
    if (position === this.frame.length) this.grow();
    this.frame[position] = frame;
    this.parent[position] = parent;
    this.depth[position] = depth;
    this.total[position] = total;
    if (this.base.length > 0) this.base[position] = base;
    return position;
  }

  private grow(): void {
    const size = 2 * this.frame.length;
    this.frame = grow(this.frame, size);
    this.parent = grow(this.parent, size);
    this.depth = grow(this.depth, size);
    this.self = grow(this.self, size);
    this.total = grow(this.total, size);
    if (this.base.length === 0) return;
    this.base = grow(this.base, size);
    this.baseSelf = grow(this.baseSelf, size);
  }
}

/**
 * Lays out the tree of `stacks`, leaving out subtrees whose magnitude (the sum of |value| of the
 * samples through them) is below `nodeFraction` of the root's. Every sum adds the samples in the
 * order they were added, as growing the tree sample by sample did, so the floating-point results are
 * the same. Side-a sums are kept only `withBase`.
 */
export function layOut(stacks: SampleStacks, nodeFraction: number, withBase: boolean): Layout {
  return new TreeLayout(stacks, nodeFraction, withBase).run();
}

/**
 * A trimmed subtree is counted and its value summed, but never split into nodes: on the merge of 60
 * large profiles (1.6 million nodes), the call tree at the UI's node fraction of 0.0001 (13,081 nodes
 * shown) took 578 ms when every hidden node was counted, 371 ms without going into hidden subtrees.
 * Samples' values move with them as a group is sorted, rather than being read through their sample
 * number, so that summing a group reads memory in order.
 */
class TreeLayout {
  private readonly out: Layout;
  /**
   * Per position, where the stack of its sample goes on below the group's node, and its value and
   * side-a value; a node's samples are a run of positions, kept in the order they were added.
   */
  private readonly cursor: Int32Array;
  private readonly value: Float64Array;
  private readonly base: Float64Array;
  /** split's room: each position's key, and the run being sorted. */
  private readonly keyOf: Int32Array;
  private readonly sortedCursor: Int32Array;
  private readonly sortedValue: Float64Array;
  private readonly sortedBase: Float64Array;
  /** Samples per key (next frame's rank + 1, or 0 for a stack that ends here) while a group is split. */
  private readonly keyCount: Int32Array;
  private readonly keys: number[] = [];
  private readonly runs: number[] = [];
  /** Groups waiting to become nodes, as (lo, hi, depth, parent position, frame rank); last first out. */
  private readonly pending: number[] = [];
  private cutoff = 0;

  constructor(private readonly stacks: SampleStacks, private readonly nodeFraction: number, private readonly withBase: boolean) {
    const { count } = stacks;
    this.out = new Layout(withBase);
    this.cursor = stacks.start.slice(0, count);
    this.value = stacks.value.slice(0, count);
    this.base = withBase ? stacks.base.slice(0, count) : new Float64Array(0);
    this.keyOf = new Int32Array(count);
    this.sortedCursor = new Int32Array(count);
    this.sortedValue = new Float64Array(count);
    this.sortedBase = new Float64Array(withBase ? count : 0);
    this.keyCount = new Int32Array(stacks.rankNames.length + 1);
  }

  run(): Layout {
    const { pending } = this;
    pending.push(0, this.stacks.count, 0, -1, -1);
    while (pending.length > 0) {
      const frame = pending.pop() as number;
      const parent = pending.pop() as number;
      const depth = pending.pop() as number;
      const hi = pending.pop() as number;
      const lo = pending.pop() as number;
      if (hi - lo === 1) this.layChain(lo, depth, parent, frame);
      else this.layGroup(lo, hi, depth, parent, frame);
    }
    return this.out;
  }

  /** Lays out the node of the samples at positions lo…hi and queues its children, unless it is trimmed. */
  private layGroup(lo: number, hi: number, depth: number, parent: number, frame: number): void {
    const { out, withBase, value, base } = this;
    let total = 0;
    let magnitude = 0;
    let baseTotal = 0;
    for (let k = lo; k < hi; k++) {
      total += value[k];
      magnitude += Math.abs(value[k]);
      if (withBase) baseTotal += base[k];
    }
    if (depth === 0) this.cutoff = this.nodeFraction * magnitude;
    if (depth > 0 && magnitude < this.cutoff) {
      this.trim(total);
      return;
    }
    const position = out.add(frame, parent, depth, total, baseTotal);
    const selfEnd = this.split(lo, hi);
    let self = 0;
    let baseSelf = 0;
    for (let k = lo; k < selfEnd; k++) {
      self += value[k];
      if (withBase) baseSelf += base[k];
    }
    out.self[position] = self;
    if (withBase) out.baseSelf[position] = baseSelf;
    const { runs, pending } = this;
    for (let r = runs.length - 3; r >= 0; r -= 3) pending.push(runs[r], runs[r + 1], depth + 1, position, runs[r + 2]);
  }

  private trim(total: number): void {
    this.out.trimmedSubtrees++;
    this.out.trimmedValue += total;
  }

  /**
   * Sorts positions lo…hi by the frame at `depth` of their stacks (a counting sort, so each run stays
   * in the order samples were added), leaving the children's runs in `runs` as (lo, hi, frame rank)
   * triples. Returns where the samples whose stacks end at `depth` end: they come first.
   */
  private split(lo: number, hi: number): number {
    const { cursor, keyOf, keyCount, keys, runs } = this;
    const { frames } = this.stacks;
    keys.length = 0;
    for (let k = lo; k < hi; k++) {
      const key = frames[cursor[k]++];
      keyOf[k] = key;
      if (keyCount[key]++ === 0) keys.push(key);
    }
    sortKeys(keys);
    runs.length = 0;
    let selfEnd = lo;
    for (let i = 0, next = lo; i < keys.length; i++) {
      const key = keys[i];
      const size = keyCount[key];
      if (key === 0) selfEnd = next + size;
      else runs.push(next, next + size, key - 1);
      keyCount[key] = next;
      next += size;
    }
    if (keys.length > 1) this.permute(lo, hi);
    for (const key of keys) keyCount[key] = 0;
    return selfEnd;
  }

  /** Moves each position lo…hi, with its cursor and values, to where `keyCount` of its key says. */
  private permute(lo: number, hi: number): void {
    const { cursor, value, base, keyOf, keyCount, sortedCursor, sortedValue, sortedBase, withBase } = this;
    for (let k = lo; k < hi; k++) {
      const to = keyCount[keyOf[k]]++;
      sortedCursor[to] = cursor[k];
      sortedValue[to] = value[k];
      if (withBase) sortedBase[to] = base[k];
    }
    cursor.set(sortedCursor.subarray(lo, hi), lo);
    value.set(sortedValue.subarray(lo, hi), lo);
    if (withBase) base.set(sortedBase.subarray(lo, hi), lo);
  }

  /**
   * Lays out the node of the single sample at position `k` and the rest of its stack, unless it is
   * trimmed: a chain of nodes that all carry its value, the last as self.
   */
  private layChain(k: number, depth: number, parent: number, frame: number): void {
    const { out } = this;
    const { frames } = this.stacks;
    const total = this.value[k];
    const baseTotal = this.withBase ? this.base[k] : 0;
    if (depth === 0) this.cutoff = this.nodeFraction * Math.abs(total);
    if (depth > 0 && Math.abs(total) < this.cutoff) {
      this.trim(total);
      return;
    }
    const first = this.cursor[k];
    let end = first;
    while (frames[end] !== 0) end++;
    let position = out.add(frame, parent, depth, total, baseTotal);
    for (let at = first; at < end; at++) position = out.add(frames[at] - 1, position, depth + 1 + at - first, total, baseTotal);
    out.self[position] = total;
    if (this.withBase) out.baseSelf[position] = baseTotal;
  }
}

/**
 * Sorts a group's distinct keys: most groups have two or three, for which insertion sort takes a
 * fraction of the time Array.prototype.sort does (in a CPU profile of the call tree of 60 large profiles merged, its calls took ~15% of laying out).
 */
function sortKeys(keys: number[]): void {
  if (keys.length > 16) {
    keys.sort((a, b) => a - b);
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
}

/**
 * Copies the laid-out nodes into the plain arrays of a CallTree, naming each distinct name once, in
 * order of first use. `rankNames` names each frame rank. Filling preallocated arrays once is much
 * faster than pushing node by node.
 */
export function toColumns(layout: Layout, rankNames: readonly string[]): Omit<CallTree, 'sampleType'> {
  const { kept } = layout;
  const names = ['root'];
  const nameOfRank = new Int32Array(rankNames.length).fill(-1);
  const nameIndex = new Map<string, number>();
  const column = () => new Array<number>(kept);
  const out = { names, name: column(), parent: column(), depth: column(), self: column(), total: column() };
  for (let i = 0; i < kept; i++) {
    const rank = layout.frame[i];
    if (rank >= 0 && nameOfRank[rank] < 0) {
      const known = nameIndex.get(rankNames[rank]);
      nameOfRank[rank] = known ?? names.push(rankNames[rank]) - 1;
      if (known === undefined) nameIndex.set(rankNames[rank], nameOfRank[rank]);
    }
    out.name[i] = rank < 0 ? 0 : nameOfRank[rank];
    out.parent[i] = layout.parent[i];
    out.depth[i] = layout.depth[i];
    out.self[i] = layout.self[i];
    out.total[i] = layout.total[i];
  }
  return { ...out, trimmedSubtrees: layout.trimmedSubtrees, trimmedValue: layout.trimmedValue };
}

/** Side a's values of a diff tree's laid-out nodes, in the order of the other columns. */
export function baseColumns(layout: Layout): { base: number[]; baseSelf: number[] } {
  const out = { base: new Array<number>(layout.kept), baseSelf: new Array<number>(layout.kept) };
  for (let i = 0; i < layout.kept; i++) {
    out.base[i] = layout.base[i];
    out.baseSelf[i] = layout.baseSelf[i];
  }
  return out;
}

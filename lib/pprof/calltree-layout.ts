import type { CallTree } from './calltree';
import type { SampleStacks } from './calltree-stacks';
import { grow } from './lists';

/**
 * Growing a call tree straight into its output order (depth first, siblings by name), small subtrees
 * trimmed, then copying it into the flat columns of a CallTree.
 *
 * The samples are grouped rather than inserted into a tree: a node's samples are a run of `order`,
 * sorted by the next frame of their stacks, and each run of equal frames is a child. Sorting by the
 * frames' rank by name makes the children come out in output order, and no node is ever looked up by
 * (parent, frame): on a merge of 60 large profiles (395k samples, 1.6 million nodes) building the
 * call tree by inserting each frame into a tree hashed by (parent, frame), then sorting siblings,
 * took ~1.3 s, this way ~0.5 s (medians of 9, both in one process); the hash table missed the cache
 * on nearly every lookup.
 */

/** Marks a pending group whose node is inside a trimmed subtree: counted, never laid out. */
const HIDDEN = -2;

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
  trimmedNodes = 0;
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

class TreeLayout {
  private readonly out: Layout;
  /** Samples by position; a node's samples are a run of positions, kept in the order they were added. */
  private readonly order: Int32Array;
  /** Where in `stacks.frames` the stack of the sample at each position goes on below the group's node. */
  private readonly cursor: Int32Array;
  private readonly keyOf: Int32Array;
  private readonly sorted: Int32Array;
  private readonly sortedCursor: Int32Array;
  /** Samples per key (next frame's rank + 1, or 0 for a stack that ends here) while a group is split. */
  private readonly keyCount: Int32Array;
  private readonly keys: number[] = [];
  private readonly runs: number[] = [];
  /** Groups waiting to become nodes, as (lo, hi, depth, parent position, frame rank); last first out. */
  private readonly pending: number[] = [];
  private cutoff = 0;

  constructor(private readonly stacks: SampleStacks, private readonly nodeFraction: number, private readonly withBase: boolean) {
    this.out = new Layout(withBase);
    this.order = new Int32Array(stacks.count);
    for (let i = 0; i < stacks.count; i++) this.order[i] = i;
    this.cursor = stacks.start.slice(0, stacks.count);
    this.keyOf = new Int32Array(stacks.count);
    this.sorted = new Int32Array(stacks.count);
    this.sortedCursor = new Int32Array(stacks.count);
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
      if (hi - lo === 1) this.layChain(this.order[lo], this.cursor[lo], depth, parent, frame);
      else this.layGroup(lo, hi, depth, parent, frame);
    }
    return this.out;
  }

  /** Lays out the node of the samples at positions lo…hi, and queues its children. */
  private layGroup(lo: number, hi: number, depth: number, parent: number, frame: number): void {
    const { order, out, withBase } = this;
    const { value, base } = this.stacks;
    let position = HIDDEN;
    if (parent !== HIDDEN) {
      let total = 0;
      let magnitude = 0;
      let baseTotal = 0;
      for (let k = lo; k < hi; k++) {
        const s = order[k];
        total += value[s];
        magnitude += Math.abs(value[s]);
        if (withBase) baseTotal += base[s];
      }
      if (depth === 0) this.cutoff = this.nodeFraction * magnitude;
      if (depth > 0 && magnitude < this.cutoff) out.trimmedValue += total;
      else position = out.add(frame, parent, depth, total, baseTotal);
    }
    if (position === HIDDEN) out.trimmedNodes++;
    const selfEnd = this.split(lo, hi);
    if (position !== HIDDEN) {
      let self = 0;
      let baseSelf = 0;
      for (let k = lo; k < selfEnd; k++) {
        self += value[order[k]];
        if (withBase) baseSelf += base[order[k]];
      }
      out.self[position] = self;
      if (withBase) out.baseSelf[position] = baseSelf;
    }
    const { runs, pending } = this;
    for (let r = runs.length - 3; r >= 0; r -= 3) pending.push(runs[r], runs[r + 1], depth + 1, position, runs[r + 2]);
  }

  /**
   * Sorts positions lo…hi by the frame at `depth` of their stacks (a counting sort, so each run stays
   * in the order samples were added), leaving the children's runs in `runs` as (lo, hi, frame rank)
   * triples. Returns where the samples whose stacks end at `depth` end: they come first.
   */
  private split(lo: number, hi: number): number {
    const { order, cursor, keyOf, keyCount, keys, runs } = this;
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
    if (keys.length > 1) {
      const { sorted, sortedCursor } = this;
      for (let k = lo; k < hi; k++) {
        const to = keyCount[keyOf[k]]++;
        sorted[to] = order[k];
        sortedCursor[to] = cursor[k];
      }
      for (let k = lo; k < hi; k++) {
        order[k] = sorted[k];
        cursor[k] = sortedCursor[k];
      }
    }
    for (const key of keys) keyCount[key] = 0;
    return selfEnd;
  }

  /**
   * Lays out the node of a single sample and the rest of its stack: a chain of nodes that all carry
   * its value, the last as self.
   */
  private layChain(s: number, first: number, depth: number, parent: number, frame: number): void {
    const { out } = this;
    const { frames, value, base } = this.stacks;
    let end = first;
    while (frames[end] !== 0) end++;
    if (parent === HIDDEN) {
      out.trimmedNodes += 1 + end - first;
      return;
    }
    const total = value[s];
    const baseTotal = this.withBase ? base[s] : 0;
    if (depth === 0) this.cutoff = this.nodeFraction * Math.abs(total);
    if (depth > 0 && Math.abs(total) < this.cutoff) {
      out.trimmedValue += total;
      out.trimmedNodes += 1 + end - first;
      return;
    }
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
  return { ...out, trimmedNodes: layout.trimmedNodes, trimmedValue: layout.trimmedValue };
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

import { grow, HashChains, mix } from './compact';
import { ProfileError } from './errors';
import { FrameTable } from './frames';
import type { Profile, ValueType } from './model';

/**
 * A call tree for flame graphs, flat so it stays compact for 50,000+ nodes and serialises to JSON as
 * a handful of number arrays. Node `i` is `names[name[i]]`, its parent is node `parent[i]` (-1 for
 * the root), `depth[i]` is 0 for the root, and `self[i]`, `total[i]` are its values.
 *
 * Nodes are in depth-first order, root first and siblings sorted by name, so a node's subtree is the
 * run of nodes after it that are deeper than it, and a flame graph lays out every node in one pass:
 * a node starts where its parent's previous child ended.
 *
 * Node 0 is the root, named "root": its total is the sum of the sample type over all samples, its self
 * the part from samples without a stack. A node's total is its self plus its children's totals,
 * except where trimming hid children: `trimmedNodes` counts the hidden nodes (subtrees included) and
 * `trimmedValue` sums the totals of the hidden subtrees.
 */
export interface CallTree {
  sampleType: ValueType;
  names: string[];
  name: number[];
  parent: number[];
  depth: number[];
  self: number[];
  total: number[];
  trimmedNodes: number;
  trimmedValue: number;
}

/** Options for buildCallTree. */
export interface CallTreeOptions {
  /**
   * Hide nodes (with their subtrees) that account for less than this fraction of the profile, like
   * pprof's `-nodefraction`; 0 (the default) hides nothing. Both sides are sums of |value|, so in a
   * diff a function whose large gains and losses cancel out stays visible (pprof compares |total|,
   * which would hide it).
   */
  nodeFraction?: number;
}

/**
 * Builds the call tree of one sample type, root → leaf, with nodes named as `top` names them
 * (lib/pprof/frames.ts) and inlined calls expanded into frames of their own, caller above callee.
 */
export function buildCallTree(profile: Profile, sampleIndex: number, options: CallTreeOptions = {}): CallTree {
  const nodeFraction = options.nodeFraction ?? 0;
  if (!(nodeFraction >= 0 && nodeFraction <= 1)) {
    throw new ProfileError('invalid_value', `node fraction must be between 0 and 1, not ${nodeFraction}`);
  }
  const sampleType = profile.sampleTypes[sampleIndex];
  if (!sampleType) {
    throw new ProfileError('invalid_value', `sample index ${sampleIndex} is out of range: the profile has ${profile.sampleTypes.length} sample types`);
  }
  const { tree, frameNames } = growTree(profile, sampleIndex);
  return { sampleType, ...toColumns(tree, frameNames, layOut(tree, frameNames, nodeFraction * tree.magnitude[0])) };
}

/** Adds every sample's stack, root first, to a new tree; frame ids index `frameNames`. */
function growTree(profile: Profile, sampleIndex: number): { tree: TreeBuilder; frameNames: string[] } {
  const frames = new FrameTable();
  const tree = new TreeBuilder();
  for (const sample of profile.samples) {
    const value = sample.values[sampleIndex];
    if (value === 0) continue;
    let node = 0;
    tree.add(node, value);
    for (let i = sample.locations.length - 1; i >= 0; i--) {
      const locationFrames = frames.locationFrames(sample.locations[i]);
      for (let j = locationFrames.length - 1; j >= 0; j--) {
        node = tree.child(node, locationFrames[j].id);
        tree.add(node, value);
      }
    }
    tree.self[node] += value;
  }
  return { tree, frameNames: frames.frames.map((f) => f.name) };
}

/**
 * The tree while it grows, in typed arrays in creation order (a parent before its children).
 * `magnitude` sums |value| over the samples through a node: what trimming measures.
 *
 * A child is found through its parent's most recent child, else by hashing (parent, frame) into
 * HashChains. On google-pprof__large.cpu (425,000 nodes) that builds the whole tree in less time
 * than a Map per frame took to grow it alone.
 */
class TreeBuilder {
  count = 1;
  frame = new Int32Array(1024).fill(-1);
  parent = new Int32Array(1024).fill(-1);
  self = new Float64Array(1024);
  total = new Float64Array(1024);
  magnitude = new Float64Array(1024);
  private recent = new Int32Array(1024);
  private readonly chains = new HashChains();

  /** The child of `node` for `frame`, created when new. */
  child(node: number, frame: number): number {
    const recent = this.recent[node];
    if (recent > 0 && this.frame[recent] === frame) return recent;
    const hash = mix(mix(0, node), frame);
    let child = this.chains.first(hash);
    while (child >= 0 && (this.parent[child] !== node || this.frame[child] !== frame)) child = this.chains.next(child);
    if (child < 0) {
      child = this.count++;
      if (child === this.frame.length) this.grow();
      this.frame[child] = frame;
      this.parent[child] = node;
      this.chains.add(hash, child);
    }
    return (this.recent[node] = child);
  }

  add(node: number, value: number): void {
    this.total[node] += value;
    this.magnitude[node] += Math.abs(value);
  }

  private grow(): void {
    const size = this.frame.length * 2;
    this.frame = grow(this.frame, size);
    this.parent = grow(this.parent, size);
    this.self = grow(this.self, size);
    this.total = grow(this.total, size);
    this.magnitude = grow(this.magnitude, size);
    this.recent = grow(this.recent, size);
  }
}

/** Nodes in output order, with their parents' positions in that order and their depths. */
interface Layout {
  order: Int32Array;
  parent: Int32Array;
  depth: Int32Array;
  kept: number;
  trimmedValue: number;
}

/**
 * Lays the tree out depth first with siblings by name, leaving out subtrees whose magnitude is below
 * `cutoff`. Uses typed arrays and an explicit stack: real stacks are deeper than recursion allows.
 */
function layOut(tree: TreeBuilder, frameNames: readonly string[], cutoff: number): Layout {
  const { start, children } = sortedChildren(tree, frameNames);
  const out: Layout = { order: new Int32Array(tree.count), parent: new Int32Array(tree.count), depth: new Int32Array(tree.count), kept: 0, trimmedValue: 0 };
  // (node, its parent's position, depth) triples; children go on last first to come off in order.
  const stack = new Int32Array(3 * tree.count);
  stack.set([0, -1, 0]);
  for (let size = 1; size > 0; ) {
    size--;
    const node = stack[3 * size];
    if (node !== 0 && tree.magnitude[node] < cutoff) {
      out.trimmedValue += tree.total[node];
      continue;
    }
    const position = out.kept++;
    out.order[position] = node;
    out.parent[position] = stack[3 * size + 1];
    out.depth[position] = stack[3 * size + 2];
    for (let k = start[node + 1] - 1; k >= start[node]; k--, size++) {
      stack[3 * size] = children[k];
      stack[3 * size + 1] = position;
      stack[3 * size + 2] = out.depth[position] + 1;
    }
  }
  return out;
}

/**
 * Copies the laid-out nodes into the plain arrays of a CallTree, naming each distinct name once.
 * Filling preallocated arrays once is much faster than pushing node by node.
 */
function toColumns(tree: TreeBuilder, frameNames: readonly string[], layout: Layout): Omit<CallTree, 'sampleType'> {
  const { order, kept } = layout;
  const names = ['root'];
  const nameOfFrame = new Int32Array(frameNames.length).fill(-1);
  const nameIndex = new Map<string, number>();
  const column = () => new Array<number>(kept);
  const out = { names, name: column(), parent: column(), depth: column(), self: column(), total: column() };
  for (let i = 0; i < kept; i++) {
    const node = order[i];
    const frame = tree.frame[node];
    if (node !== 0 && nameOfFrame[frame] < 0) {
      const known = nameIndex.get(frameNames[frame]);
      nameOfFrame[frame] = known ?? names.push(frameNames[frame]) - 1;
      if (known === undefined) nameIndex.set(frameNames[frame], nameOfFrame[frame]);
    }
    out.name[i] = node === 0 ? 0 : nameOfFrame[frame];
    out.parent[i] = layout.parent[i];
    out.depth[i] = layout.depth[i];
    out.self[i] = tree.self[node];
    out.total[i] = tree.total[node];
  }
  return { ...out, trimmedNodes: tree.count - kept, trimmedValue: layout.trimmedValue };
}

/** Each node's children sorted by name, as `children[start[node]]` up to `children[start[node + 1]]`. */
function sortedChildren(tree: TreeBuilder, frameNames: readonly string[]): { start: Int32Array; children: Int32Array } {
  const start = new Int32Array(tree.count + 1);
  for (let node = 1; node < tree.count; node++) start[tree.parent[node] + 1]++;
  for (let node = 0; node < tree.count; node++) start[node + 1] += start[node];
  const children = new Int32Array(tree.count);
  const next = start.slice(0, tree.count);
  for (let node = 1; node < tree.count; node++) children[next[tree.parent[node]]++] = node;
  // Ranking frames by name once lets siblings sort by comparing two integers.
  const byName = frameNames.map((_, frame) => frame);
  byName.sort((a, b) => (frameNames[a] < frameNames[b] ? -1 : frameNames[a] > frameNames[b] ? 1 : a - b));
  const rank = new Int32Array(byName.length);
  byName.forEach((frame, i) => (rank[frame] = i));
  for (let node = 0; node < tree.count; node++) {
    if (start[node + 1] - start[node] > 1) children.subarray(start[node], start[node + 1]).sort((a, b) => rank[tree.frame[a]] - rank[tree.frame[b]]);
  }
  return { start, children };
}

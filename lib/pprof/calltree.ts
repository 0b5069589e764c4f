import { layOut, toColumns } from './calltree-layout';
import { ProfileError } from './errors';
import { FrameTable } from './frames';
import { HashChains, mix } from './hash-chains';
import { grow } from './lists';
import type { Profile, ValueType } from './model';
import { columnsOf } from './profile-columns';

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
  const nodeFraction = checkNodeFraction(options);
  const sampleType = checkSampleIndex(profile, sampleIndex);
  const frames = new FrameTable();
  const tree = new TreeBuilder();
  addSamples(tree, frames, profile, sampleIndex);
  const frameNames = frames.frames.map((f) => f.name);
  return { sampleType, ...toColumns(tree, frameNames, layOut(tree, frameNames, nodeFraction * tree.magnitude[0])) };
}

/** The node fraction asked for (0 when none), refused unless between 0 and 1. */
export function checkNodeFraction(options: CallTreeOptions): number {
  const nodeFraction = options.nodeFraction ?? 0;
  if (!(nodeFraction >= 0 && nodeFraction <= 1)) {
    throw new ProfileError('invalid_value', `node fraction must be between 0 and 1, not ${nodeFraction}`);
  }
  return nodeFraction;
}

/** The sample type at `sampleIndex`, refused when the profile has none there. */
export function checkSampleIndex(profile: Profile, sampleIndex: number): ValueType {
  const sampleType = profile.sampleTypes[sampleIndex];
  if (!sampleType) {
    throw new ProfileError('invalid_value', `sample index ${sampleIndex} is out of range: the profile has ${profile.sampleTypes.length} sample types`);
  }
  return sampleType;
}

/**
 * Adds every sample's stack, root first, to the tree; frame ids index `frames.frames`. Samples without
 * a stack count in the root's self value, unless `dropEmptyStacks` leaves them out, as pprof's merge
 * (and so a diff) does.
 */
export function addSamples(tree: TreeBuilder, frames: FrameTable, profile: Profile, sampleIndex: number, dropEmptyStacks = false): void {
  const columns = columnsOf(profile);
  const { count, typeCount, values, stackStart, stacks } = columns.samples;
  const profileFrames = frames.of(columns);
  for (let s = 0; s < count; s++) {
    const value = values[typeCount * s + sampleIndex];
    if (value === 0 || (dropEmptyStacks && stackStart[s + 1] === stackStart[s])) continue;
    let node = 0;
    tree.add(node, value);
    for (let i = stackStart[s + 1] - 1; i >= stackStart[s]; i--) {
      const locationFrames = profileFrames.at(stacks[i]);
      for (let j = locationFrames.length - 1; j >= 0; j--) {
        node = tree.child(node, locationFrames[j].id);
        tree.add(node, value);
      }
    }
    tree.addSelf(node, value);
  }
}

/**
 * The tree while it grows, in typed arrays in creation order (a parent before its children).
 * `magnitude` sums |value| over the samples through a node: what trimming measures.
 *
 * A child is found through its parent's most recent child, else by hashing (parent, frame) into
 * HashChains. On google-pprof__large.cpu (425,000 nodes) that builds the whole tree in less time
 * than a Map per frame took to grow it alone.
 */
export class TreeBuilder {
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

  /** Adds to the value of samples whose stack ends at `node`. */
  addSelf(node: number, value: number): void {
    this.self[node] += value;
  }

  protected grow(): void {
    const size = this.frame.length * 2;
    this.frame = grow(this.frame, size);
    this.parent = grow(this.parent, size);
    this.self = grow(this.self, size);
    this.total = grow(this.total, size);
    this.magnitude = grow(this.magnitude, size);
    this.recent = grow(this.recent, size);
  }
}

import { layOut, toColumns } from './calltree-layout';
import { SampleStacks } from './calltree-stacks';
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
 * except where trimming hid children: `trimmedSubtrees` counts the hidden subtrees, each once however
 * many nodes it holds (counting those would take going through every one of them), and `trimmedValue`
 * sums their totals.
 */
export interface CallTree {
  sampleType: ValueType;
  names: string[];
  name: number[];
  parent: number[];
  depth: number[];
  self: number[];
  total: number[];
  trimmedSubtrees: number;
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
  const stacks = new SampleStacks(new FrameTable(), [{ profile }], sampleIndex, false);
  return { sampleType, ...toColumns(layOut(stacks, nodeFraction, false), stacks.rankNames) };
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

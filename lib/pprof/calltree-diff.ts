import { checkNodeFraction, checkSampleIndex, type CallTree, type CallTreeOptions } from './calltree';
import { baseColumns, layOut, toColumns } from './calltree-layout';
import { SampleStacks } from './calltree-stacks';
import { ProfileError } from './errors';
import { FrameTable } from './frames';
import type { Profile, ValueType } from './model';
import { formatSampleType } from './sample-types';

/**
 * A call tree of what changed between two profiles: `total` and `self` are side b minus side a, and
 * `base` and `baseSelf` are side a's values of the same nodes, so side b's value is `total + base`.
 */
export interface DiffCallTree extends CallTree {
  base: number[];
  baseSelf: number[];
}

/**
 * The call tree of `other` minus `base`, grown from both profiles at once so every node keeps both
 * sides. Its `total` and `self` are those of `buildCallTree(diffProfiles(base, other), …)`, but stacks
 * that did not change stay in the tree (with a difference of 0), so a flame graph can still draw them
 * at their size. Samples without a stack are left out, as the diff leaves them out.
 *
 * Trimming measures |a| + |b| through a node, so a function that shrank away stays visible.
 * Only the chosen sample type has to agree between the two profiles.
 */
export function buildDiffCallTree(base: Profile, other: Profile, sampleIndex: number, options: CallTreeOptions = {}): DiffCallTree {
  const nodeFraction = checkNodeFraction(options);
  const sampleType = checkSampleIndex(other, sampleIndex);
  const baseType = checkSampleIndex(base, sampleIndex);
  if (!sameType(sampleType, baseType)) {
    throw new ProfileError('incompatible', `cannot diff ${formatSampleType(baseType)} against ${formatSampleType(sampleType)}: sample index ${sampleIndex} differs between the two profiles`);
  }
  const stacks = new SampleStacks(new FrameTable(), [{ profile: base, asBase: true }, { profile: other }], sampleIndex, true);
  const layout = layOut(stacks, nodeFraction, true);
  return { sampleType, ...toColumns(layout, stacks.rankNames), ...baseColumns(layout) };
}

function sameType(a: ValueType, b: ValueType): boolean {
  return a.type === b.type && a.unit === b.unit;
}

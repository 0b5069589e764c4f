import { addSamples, checkNodeFraction, checkSampleIndex, TreeBuilder, type CallTree, type CallTreeOptions } from './calltree';
import { baseColumns, layOut, toColumns } from './calltree-layout';
import { ProfileError } from './errors';
import { FrameTable } from './frames';
import { grow } from './lists';
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
  const frames = new FrameTable();
  const tree = new DiffTreeBuilder();
  tree.addingBase = true;
  addSamples(tree, frames, base, sampleIndex, true);
  tree.addingBase = false;
  addSamples(tree, frames, other, sampleIndex, true);
  const frameNames = frames.frames.map((f) => f.name);
  const layout = layOut(tree, frameNames, nodeFraction * tree.magnitude[0]);
  return { sampleType, ...toColumns(tree, frameNames, layout), ...baseColumns(tree.base, tree.baseSelf, layout) };
}

function sameType(a: ValueType, b: ValueType): boolean {
  return a.type === b.type && a.unit === b.unit;
}

/**
 * A TreeBuilder that also keeps side a's values: while `addingBase`, a value is subtracted from the
 * difference and added to `base`. Magnitude counts |value| either way.
 */
class DiffTreeBuilder extends TreeBuilder {
  addingBase = false;
  base = new Float64Array(this.frame.length);
  baseSelf = new Float64Array(this.frame.length);

  override add(node: number, value: number): void {
    if (!this.addingBase) return super.add(node, value);
    super.add(node, -value);
    this.base[node] += value;
  }

  override addSelf(node: number, value: number): void {
    if (!this.addingBase) return super.addSelf(node, value);
    super.addSelf(node, -value);
    this.baseSelf[node] += value;
  }

  protected override grow(): void {
    super.grow();
    this.base = grow(this.base, this.frame.length);
    this.baseSelf = grow(this.baseSelf, this.frame.length);
  }
}

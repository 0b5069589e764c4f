import { describe, expect, it } from 'vitest';
import { buildCallTree, type CallTree } from '../../lib/pprof/calltree';
import { buildDiffCallTree } from '../../lib/pprof/calltree-diff';
import { decodeProfile } from '../../lib/pprof/decode';
import { isProfileError } from '../../lib/pprof/errors';
import { parseFolded } from '../../lib/pprof/folded';
import { diffProfiles } from '../../lib/pprof/merge';
import type { Profile } from '../../lib/pprof/model';
import { readFixture } from '../helpers/fixtures';
import { SYNTHETIC_PRESETS, syntheticProfile } from '../helpers/synthetic';

const folded = (text: string) => parseFolded(text, { sampleType: 'samples', unit: 'count' });

/** Each node's stack (`a;b;c`, "" for the root) with the sum of one column over the nodes of that stack. */
function byStack(tree: CallTree, column: readonly number[]): Map<string, number> {
  const stacks: string[] = [];
  const out = new Map<string, number>();
  tree.name.forEach((nameIndex, node) => {
    const parent = tree.parent[node];
    stacks[node] = parent < 0 ? '' : parent === 0 ? tree.names[nameIndex] : `${stacks[parent]};${tree.names[nameIndex]}`;
    out.set(stacks[node], (out.get(stacks[node]) ?? 0) + column[node]);
  });
  return out;
}

/** The stacks whose values differ between two trees, a stack missing from one counting as 0 there. */
function differences(a: Map<string, number>, b: Map<string, number>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((stack) => (a.get(stack) ?? 0) !== (b.get(stack) ?? 0));
}

describe('buildDiffCallTree', () => {
  const fixture = (name: string) => () => decodeProfile(readFixture(name));
  // Two samplings of one synthetic program overlap like two scrapes of one service: many stacks change.
  const synthetic = (seed: number) => () => syntheticProfile({ seed, programSeed: 1, sampleTypes: 'heap', ...SYNTHETIC_PRESETS.medium });

  it.each([
    ['dd-trace-go__block.before → after', fixture('dd-trace-go__block.before.pprof'), fixture('dd-trace-go__block.after.pprof')],
    ['two Go CPU profiles sharing the runtime', fixture('parca__profile1.pb.gz'), fixture('flameshow__profile-10seconds.out')],
    ['two samplings of a synthetic program', synthetic(1), synthetic(2)],
  ])('%s: total and self are the diff profile\'s, base and base + total each side\'s', (_, loadBefore, loadAfter) => {
    const before = loadBefore();
    const after = loadAfter();
    let changedNodes = 0;
    for (let index = 0; index < after.sampleTypes.length; index++) {
      const tree = buildDiffCallTree(before, after, index);
      const diffTree = buildCallTree(diffProfiles(before, after), index);
      expect(differences(byStack(tree, tree.total), byStack(diffTree, diffTree.total))).toEqual([]);
      changedNodes += diffTree.total.filter((total) => total !== 0).length;
      expect(differences(byStack(tree, tree.self), byStack(diffTree, diffTree.self))).toEqual([]);
      const beforeTree = buildCallTree(before, index);
      const afterTree = buildCallTree(after, index);
      expect(differences(byStack(tree, tree.base), byStack(beforeTree, beforeTree.total))).toEqual([]);
      expect(differences(byStack(tree, tree.baseSelf), byStack(beforeTree, beforeTree.self))).toEqual([]);
      const afterTotals = tree.total.map((total, node) => total + tree.base[node]);
      expect(differences(byStack(tree, afterTotals), byStack(afterTree, afterTree.total))).toEqual([]);
      expect(tree.sampleType).toEqual(after.sampleTypes[index]);
    }
    expect(changedNodes, 'nodes that changed between the sides').toBeGreaterThan(0);
  });

  it('keeps stacks that did not change, which the diff profile cancels out', () => {
    const tree = buildDiffCallTree(folded('main;same 100\nmain;gone 20\n'), folded('main;same 100\nmain;new 5\n'), 0);
    const rows = tree.name.map((n, node) => [tree.names[n], tree.base[node], tree.total[node]]);
    expect(rows).toEqual([
      ['root', 120, -15],
      ['main', 120, -15],
      ['gone', 20, -20],
      ['new', 0, 5],
      ['same', 100, 0],
    ]);
    expect(tree.baseSelf).toEqual([0, 0, 20, 0, 100]);
    expect(tree.self).toEqual([0, 0, -20, 5, 0]);
  });

  it('trims by |a| + |b|, so a function that went away stays and an unchanged small one goes', () => {
    const a = folded('main;big 500\nmain;gone 300\nmain;tiny 2\n');
    const b = folded('main;big 500\nmain;tiny 2\n');
    const tree = buildDiffCallTree(a, b, 0, { nodeFraction: 0.01 });
    expect(tree.name.map((n) => tree.names[n])).toEqual(['root', 'main', 'big', 'gone']);
    expect({ trimmedSubtrees: tree.trimmedSubtrees, root: tree.total[0], base: tree.base[0] }).toEqual({ trimmedSubtrees: 1, root: -300, base: 802 });
  });

  it('leaves out samples without a stack, as the diff profile does', () => {
    const withEmptyStack = (profile: Profile, value: number): Profile => ({ ...profile, samples: [...profile.samples, { locations: [], values: [value], labels: [] }] });
    const tree = buildDiffCallTree(withEmptyStack(folded('main 4\n'), 7), withEmptyStack(folded('main 6\n'), 1), 0);
    expect([tree.self[0], tree.total[0], tree.baseSelf[0], tree.base[0]]).toEqual([0, 2, 0, 4]);
  });

  it('refuses sides whose chosen sample type differs, naming both', () => {
    const bytes = parseFolded('main 1\n', { sampleType: 'alloc_space', unit: 'bytes' });
    let error: unknown;
    try {
      buildDiffCallTree(folded('main 1\n'), bytes, 0);
    } catch (err) {
      error = err;
    }
    expect(isProfileError(error, 'incompatible')).toBe(true);
    expect((error as Error).message).toMatch(/samples\/count against alloc_space\/bytes/);
  });
});

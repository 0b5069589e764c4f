import { describe, expect, it } from 'vitest';
import { sandwich } from '../../lib/flame/sandwich';
import { functionRows } from '../../lib/flame/table';
import type { FlameTree } from '../../lib/flame/tree';
import { buildCallTree } from '../../lib/pprof/calltree';
import { buildDiffCallTree } from '../../lib/pprof/calltree-diff';
import { decodeProfile } from '../../lib/pprof/decode';
import { parseFolded } from '../../lib/pprof/folded';
import { readFixture } from '../helpers/fixtures';

const folded = (text: string) => parseFolded(text, { sampleType: 'samples', unit: 'count' });

/** The tree as indented lines, `name total/self` (with `(base total/self)` in a diff). */
function outline(tree: FlameTree): string[] {
  return tree.name.map((nameIndex, node) => {
    const base = tree.base && tree.baseSelf ? ` (${tree.base[node]}/${tree.baseSelf[node]})` : '';
    return `${'  '.repeat(tree.depth[node])}${tree.names[nameIndex]} ${tree.total[node]}/${tree.self[node]}${base}`;
  });
}

/** What every FlameTree promises: root first, depth first, siblings by name, totals adding up (nothing trimmed). */
function expectValid(tree: FlameTree, rootName: string): void {
  expect(tree.names[tree.name[0]]).toBe(rootName);
  expect([tree.parent[0], tree.depth[0]]).toEqual([-1, 0]);
  const n = tree.name.length;
  for (const column of [tree.parent, tree.depth, tree.self, tree.total, ...(tree.base ? [tree.base, tree.baseSelf!] : [])]) expect(column).toHaveLength(n);
  const problems: string[] = [];
  const lastChild = new Map<number, number>();
  const childTotals = new Float64Array(n);
  const childBases = new Float64Array(n);
  for (let node = 1; node < n; node++) {
    const parent = tree.parent[node];
    // Depth first: a node's parent is the closest node before it that is one shallower.
    let closest = node - 1;
    while (closest >= 0 && tree.depth[closest] >= tree.depth[node]) closest--;
    if (parent !== closest || tree.depth[node] !== tree.depth[parent] + 1) problems.push(`node ${node}: parent ${parent}, depth ${tree.depth[node]}`);
    const previous = lastChild.get(parent);
    if (previous !== undefined && !(tree.names[tree.name[previous]] < tree.names[tree.name[node]])) problems.push(`node ${node}: siblings out of order`);
    lastChild.set(parent, node);
    childTotals[parent] += tree.total[node];
    if (tree.base) childBases[parent] += tree.base[node];
  }
  for (let node = 0; node < n; node++) {
    if (tree.total[node] !== tree.self[node] + childTotals[node]) problems.push(`node ${node}: total is not self plus children`);
    if (tree.base && tree.base[node] !== tree.baseSelf![node] + childBases[node]) problems.push(`node ${node}: base is not base self plus children`);
  }
  expect(problems).toEqual([]);
  expect(new Set(tree.names).size, 'names are distinct').toBe(tree.names.length);
}

const STACKS = [
  'main;handle;parse;alloc 5',
  'main;handle;parse 3',
  'main;batch;parse;alloc 2',
  'main;batch;parse;parse;alloc 1',
  'gc;alloc 4',
].join('\n');

describe('sandwich', () => {
  const tree = buildCallTree(folded(STACKS), 0);

  it('callees: the subtrees under the outermost calls merged, a recursive call kept inside', () => {
    const { callees } = sandwich(tree, 'parse');
    expectValid(callees, 'parse');
    expect(outline(callees)).toEqual(['parse 11/3', '  alloc 7/7', '  parse 1/0', '    alloc 1/1']);
  });

  it('callers: the stacks above every outermost call, inverted and weighed by what the call costs', () => {
    const { callers } = sandwich(tree, 'parse');
    expectValid(callers, 'parse');
    expect(outline(callers)).toEqual(['parse 11/0', '  batch 3/0', '    main 3/3', '  handle 8/0', '    main 8/8']);
  });

  it('callers of a leaf called directly from the root and through recursion', () => {
    const { callers, callees } = sandwich(tree, 'alloc');
    expectValid(callers, 'alloc');
    expect(outline(callers)).toEqual([
      'alloc 12/0',
      '  gc 4/4',
      '  parse 8/0',
      '    batch 2/0',
      '      main 2/2',
      '    handle 5/0',
      '      main 5/5',
      '    parse 1/0',
      '      batch 1/0',
      '        main 1/1',
    ]);
    expect(outline(callees)).toEqual(['alloc 12/12']);
  });

  it('a function at the top of its stacks has no callers: the root keeps its value as self', () => {
    expect(outline(sandwich(tree, 'gc').callers)).toEqual(['gc 4/4']);
  });

  it('a function that is not in the tree gives two bare roots', () => {
    const { callers, callees } = sandwich(tree, 'nowhere');
    expect([outline(callers), outline(callees)]).toEqual([['nowhere 0/0'], ['nowhere 0/0']]);
  });

  it('in a diff, carries side a\'s values through both trees', () => {
    const diff = buildDiffCallTree(folded('main;parse;alloc 4\nmain;parse 2\n'), folded('main;parse;alloc 9\nmain;load;parse 1\n'), 0);
    const { callers, callees } = sandwich(diff, 'parse');
    expectValid(callers, 'parse');
    expectValid(callees, 'parse');
    expect(outline(callees)).toEqual(['parse 4/-1 (6/2)', '  alloc 5/5 (4/4)']);
    expect(outline(callers)).toEqual(['parse 4/0 (6/0)', '  load 1/0 (0/0)', '    main 1/1 (0/0)', '  main 3/3 (6/6)']);
  });

  it('on a real profile, both roots hold the function\'s cum for its heaviest functions', () => {
    const real = buildCallTree(decodeProfile(readFixture('parca__fib.pb.gz')), 0);
    const rows = functionRows(real).sort((a, b) => b.cum - a.cum).slice(0, 8);
    for (const row of rows) {
      const { callers, callees } = sandwich(real, row.name);
      expectValid(callers, row.name);
      expectValid(callees, row.name);
      expect([callers.total[0], callees.total[0]]).toEqual([row.cum, row.cum]);
    }
  });
});

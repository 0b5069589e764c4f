import { describe, expect, it } from 'vitest';
import { findNode, nodePath } from '../../lib/flame/path';
import { buildCallTree } from '../../lib/pprof/calltree';
import { decodeProfile } from '../../lib/pprof/decode';
import { parseFolded } from '../../lib/pprof/folded';
import { readFixture } from '../helpers/fixtures';

const folded = (text: string) => parseFolded(text, { sampleType: 'samples', unit: 'count' });
const tree = buildCallTree(folded('main;a;b 3\nmain;a;c 1\nmain;b;a 2\nmain;fib;fib;fib 4\ngc 1\n'), 0);
const named = (node: number) => tree.names[tree.name[node]];

describe('nodePath and findNode', () => {
  it.each([
    [[], 'root', 11],
    [['main'], 'main', 10],
    [['main', 'a', 'c'], 'c', 1],
    [['main', 'b', 'a'], 'a', 2],
    [['main', 'fib', 'fib', 'fib'], 'fib', 4],
    [['gc'], 'gc', 1],
  ])('finds %j: a %s with total %d, whose path is the same', (path, name, total) => {
    const node = findNode(tree, path);
    expect([named(node), tree.depth[node], tree.total[node]]).toEqual([name, path.length, total]);
    expect(nodePath(tree, node)).toEqual(path);
  });

  it.each([
    [['a']],
    [['main', 'c']],
    [['main', 'a', 'b', 'x']],
    [['main', 'fib', 'fib', 'fib', 'fib']],
  ])('answers -1 for %j, which is not in the tree', (path) => {
    expect(findNode(tree, path)).toBe(-1);
  });

  it('finds a zoomed frame again in a tree built from newer data', () => {
    const newer = buildCallTree(folded('lib 2\nmain;z 9\nmain;a;c 5\nmain;a;b 1\nmain;fib;fib;fib 4\ngc 1\n'), 0);
    const zoomed = findNode(tree, ['main', 'a', 'c']);
    const again = findNode(newer, nodePath(tree, zoomed));
    expect(again).not.toBe(zoomed);
    expect([newer.names[newer.name[again]], newer.total[again], nodePath(newer, again)]).toEqual(['c', 5, ['main', 'a', 'c']]);
  });

  it('round-trips every node of a real profile whose names are unique among siblings', () => {
    const real = buildCallTree(decodeProfile(readFixture('parca__fib.pb.gz')), 0);
    const lost = real.name.map((_, node) => node).filter((node) => findNode(real, nodePath(real, node)) !== node);
    expect(lost).toEqual([]);
  });
});

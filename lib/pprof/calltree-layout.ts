import type { CallTree, TreeBuilder } from './calltree';

/**
 * Laying a grown call tree out for output: depth first, siblings by name, small subtrees trimmed, then
 * copied into the flat columns of a CallTree.
 */

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
export function layOut(tree: TreeBuilder, frameNames: readonly string[], cutoff: number): Layout {
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
export function toColumns(tree: TreeBuilder, frameNames: readonly string[], layout: Layout): Omit<CallTree, 'sampleType'> {
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

/** Side a's values of a diff tree's laid-out nodes, in the order of the other columns. */
export function baseColumns(base: Float64Array, baseSelf: Float64Array, layout: Layout): { base: number[]; baseSelf: number[] } {
  const out = { base: new Array<number>(layout.kept), baseSelf: new Array<number>(layout.kept) };
  for (let i = 0; i < layout.kept; i++) {
    out.base[i] = base[layout.order[i]];
    out.baseSelf[i] = baseSelf[layout.order[i]];
  }
  return out;
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

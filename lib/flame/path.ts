import type { FlameTree } from './tree';

/**
 * A node named by its stack rather than its index, so a zoomed frame kept in the URL still finds its
 * place in a tree built from newer data, where indices have all moved.
 */

/** The names from the root's child down to `node`; [] for the root. */
export function nodePath(tree: FlameTree, node: number): string[] {
  const path: string[] = [];
  for (let i = node; i > 0; i = tree.parent[i]) path.push(tree.names[tree.name[i]]);
  return path.reverse();
}

/**
 * The node at `path` (from the root's child down), the first of same-named siblings when several
 * are; -1 when the tree has no such stack.
 */
export function findNode(tree: FlameTree, path: readonly string[]): number {
  const count = tree.name.length;
  let node = 0;
  for (const wanted of path) {
    const childDepth = tree.depth[node] + 1;
    let found = -1;
    // The children are the nodes one deeper within the run of nodes deeper than `node`.
    for (let i = node + 1; i < count && tree.depth[i] >= childDepth; i++) {
      if (tree.depth[i] === childDepth && tree.names[tree.name[i]] === wanted) {
        found = i;
        break;
      }
    }
    if (found < 0) return -1;
    node = found;
  }
  return node;
}

import type { FlameTree } from '@/lib/flame/tree';

/**
 * A FlameTree from folded stacks (`'main;work;leaf': 5`), laid out as the API does: depth first,
 * root first, siblings sorted by name. `before` (folded stacks of side a) makes a diff tree.
 */
export function flameTree(after: Record<string, number>, before?: Record<string, number>): FlameTree {
  interface Node { name: string; a: number; b: number; selfA: number; selfB: number; children: Map<string, Node> }
  const make = (name: string): Node => ({ name, a: 0, b: 0, selfA: 0, selfB: 0, children: new Map() });
  const root = make('root');
  const add = (stacks: Record<string, number>, side: 'a' | 'b') => {
    for (const [stack, value] of Object.entries(stacks)) {
      let node = root;
      node[side] += value;
      for (const frame of stack.split(';')) {
        let child = node.children.get(frame);
        if (!child) node.children.set(frame, (child = make(frame)));
        child[side] += value;
        node = child;
      }
      node[side === 'a' ? 'selfA' : 'selfB'] += value;
    }
  };
  add(after, 'b');
  if (before) add(before, 'a');
  const tree: FlameTree = { sampleType: { type: 'cpu', unit: 'nanoseconds' }, names: [], name: [], parent: [], depth: [], self: [], total: [], trimmedSubtrees: 0, trimmedValue: 0 };
  if (before) {
    tree.base = [];
    tree.baseSelf = [];
  }
  const nameIndex = new Map<string, number>();
  const visit = (node: Node, parent: number, depth: number) => {
    const index = tree.name.length;
    if (!nameIndex.has(node.name)) nameIndex.set(node.name, tree.names.push(node.name) - 1);
    tree.name.push(nameIndex.get(node.name)!);
    tree.parent.push(parent);
    tree.depth.push(depth);
    tree.total.push(before ? node.b - node.a : node.b);
    tree.self.push(before ? node.selfB - node.selfA : node.selfB);
    tree.base?.push(node.a);
    tree.baseSelf?.push(node.selfA);
    for (const child of [...node.children.values()].sort((x, y) => (x.name < y.name ? -1 : 1))) visit(child, index, depth + 1);
  };
  visit(root, -1, 0);
  return tree;
}

/** The index of the node at `path` (`'main;work'`), or -1. */
export function nodeAtPath(tree: FlameTree, path: string): number {
  let node = 0;
  for (const name of path.split(';')) {
    let found = -1;
    for (let i = node + 1; i < tree.name.length && tree.depth[i] > tree.depth[node]; i++) {
      if (tree.parent[i] === node && tree.names[tree.name[i]] === name) found = i;
    }
    if (found < 0) return -1;
    node = found;
  }
  return node;
}

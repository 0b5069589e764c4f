import { isDiffTree, type FlameTree } from './tree';

/**
 * One function's place in a profile, as two trees rooted at the function: who calls it (`callers`:
 * its direct callers as children, their callers below them, each stack weighted by what the function
 * costs under it) and what it calls (`callees`: the subtrees below it merged). Only its outermost
 * occurrences count, so a recursive function is not counted twice, and both roots' totals are the
 * function's cum. Drawn as a flame of callers above an icicle of callees.
 */
export interface Sandwich {
  callers: FlameTree;
  callees: FlameTree;
}

/** The sandwich of the function called `name` in `tree`; both trees are a bare root when it is absent. */
export function sandwich(tree: FlameTree, name: string): Sandwich {
  const callers = new TreeGrower(tree, name);
  const callees = new TreeGrower(tree, name);
  const count = tree.name.length;
  // Where each node of an occurrence's subtree went in `callees`.
  const grown = new Int32Array(count);
  for (let node = 1; node < count; ) {
    if (tree.names[tree.name[node]] !== name) {
      node++;
      continue;
    }
    addCallers(tree, node, callers);
    callees.add(0, node);
    grown[node] = 0;
    // Its subtree is the run of deeper nodes that follows; nested occurrences stay inside it.
    let next = node + 1;
    for (; next < count && tree.depth[next] > tree.depth[node]; next++) {
      grown[next] = callees.child(grown[tree.parent[next]], tree.names[tree.name[next]]);
      callees.add(grown[next], next);
    }
    node = next;
  }
  return { callers: callers.build(), callees: callees.build() };
}

/** Adds the stack above `node` to `callers`, inverted, every frame of it weighed with `node`'s total. */
function addCallers(tree: FlameTree, node: number, callers: TreeGrower): void {
  let grown = 0;
  callers.addTotal(grown, node);
  for (let caller = tree.parent[node]; caller > 0; caller = tree.parent[caller]) {
    grown = callers.child(grown, tree.names[tree.name[caller]]);
    callers.addTotal(grown, node);
  }
  // The outermost caller is where this inverted stack ends.
  callers.addTotalAsSelf(grown, node);
}

/**
 * A tree grown from a source tree's values, children found by name, then laid out as a FlameTree.
 * In a diff every value comes with its base (side a) value.
 */
class TreeGrower {
  private readonly children: Map<string, number>[] = [new Map()];
  private readonly nameOf: string[];
  private readonly self = [0];
  private readonly total = [0];
  private readonly base = [0];
  private readonly baseSelf = [0];
  private readonly sourceBase: { total: number[]; self: number[] } | null;

  constructor(private readonly source: FlameTree, rootName: string) {
    this.nameOf = [rootName];
    this.sourceBase = isDiffTree(source) ? { total: source.base, self: source.baseSelf } : null;
  }

  /** The child of `node` called `name`, created when new. */
  child(node: number, name: string): number {
    let child = this.children[node].get(name);
    if (child === undefined) {
      child = this.nameOf.push(name) - 1;
      this.children[node].set(name, child);
      this.children.push(new Map());
      this.self.push(0);
      this.total.push(0);
      this.base.push(0);
      this.baseSelf.push(0);
    }
    return child;
  }

  /** Adds the source node's self and total to `node`'s. */
  add(node: number, from: number): void {
    this.self[node] += this.source.self[from];
    this.total[node] += this.source.total[from];
    if (this.sourceBase) {
      this.base[node] += this.sourceBase.total[from];
      this.baseSelf[node] += this.sourceBase.self[from];
    }
  }

  /** Adds the source node's total to `node`'s total. */
  addTotal(node: number, from: number): void {
    this.total[node] += this.source.total[from];
    if (this.sourceBase) this.base[node] += this.sourceBase.total[from];
  }

  /** Adds the source node's total to `node`'s self. */
  addTotalAsSelf(node: number, from: number): void {
    this.self[node] += this.source.total[from];
    if (this.sourceBase) this.baseSelf[node] += this.sourceBase.total[from];
  }

  /**
   * The grown tree in FlameTree order: depth first, siblings by name. Whatever the source had trimmed
   * under the nodes merged here shows as totals above self plus children, and adds up to
   * `trimmedValue`; how many subtrees that was is not known here, so `trimmedSubtrees` stays 0.
   */
  build(): FlameTree {
    const names = [this.nameOf[0]];
    const nameIndex = new Map([[this.nameOf[0], 0]]);
    const out = { name: [] as number[], parent: [] as number[], depth: [] as number[], self: [] as number[], total: [] as number[] };
    const base: number[] = [];
    const baseSelf: number[] = [];
    let trimmedValue = 0;
    const stack: [node: number, parent: number, depth: number][] = [[0, -1, 0]];
    while (stack.length > 0) {
      const [node, parent, depth] = stack.pop()!;
      const position = out.name.length;
      const name = this.nameOf[node];
      let index = nameIndex.get(name);
      if (index === undefined) nameIndex.set(name, (index = names.push(name) - 1));
      out.name.push(index);
      out.parent.push(parent);
      out.depth.push(depth);
      out.self.push(this.self[node]);
      out.total.push(this.total[node]);
      base.push(this.base[node]);
      baseSelf.push(this.baseSelf[node]);
      let childTotals = 0;
      // Pushed last name first, so they come off the stack by name.
      const children = [...this.children[node]].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0));
      for (const [, child] of children) {
        childTotals += this.total[child];
        stack.push([child, position, depth + 1]);
      }
      trimmedValue += this.total[node] - this.self[node] - childTotals;
    }
    const tree: FlameTree = { sampleType: this.source.sampleType, names, ...out, trimmedSubtrees: 0, trimmedValue };
    return this.sourceBase ? { ...tree, base, baseSelf } : tree;
  }
}

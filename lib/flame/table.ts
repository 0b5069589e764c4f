import { isDiffTree, type FlameTree } from './tree';

/**
 * One function of a flame tree, as pprof's `top` counts it: `flat` is the value of the stacks that
 * end in it, `cum` of the stacks it is anywhere on, once per stack however deep it recurses. In a diff
 * both are side b minus side a, and `baseFlat`/`baseCum` are side a's.
 */
export interface FunctionRow {
  name: string;
  flat: number;
  cum: number;
  baseFlat?: number;
  baseCum?: number;
}

/**
 * One row per distinct function name (the root left out), by name: a stable sort by value then
 * orders ties by name, as pprof's top does.
 */
export function functionRows(tree: FlameTree): FunctionRow[] {
  const base = isDiffTree(tree) ? { total: tree.base, self: tree.baseSelf } : null;
  // Names are distinct in a CallTree, but one row per name must not depend on it.
  const rowOfName = new Map<string, number>();
  const rowOf = tree.names.map((name) => rowOfName.get(name) ?? rowOfName.set(name, rowOfName.size).get(name)!);
  const rows = rowOfName.size;
  const [flat, cum, baseFlat, baseCum] = [0, 1, 2, 3].map(() => new Float64Array(rows));
  const used = new Uint8Array(rows);
  // How many of the current node's ancestors are of each row: a node adds to cum only when none is.
  const onStack = new Int32Array(rows);
  const stack: number[] = [];
  for (let node = 1; node < tree.name.length; node++) {
    while (stack.length > 0 && tree.depth[stack[stack.length - 1]] >= tree.depth[node]) onStack[rowOf[tree.name[stack.pop()!]]]--;
    const r = rowOf[tree.name[node]];
    used[r] = 1;
    flat[r] += tree.self[node];
    if (base) baseFlat[r] += base.self[node];
    if (onStack[r] === 0) {
      cum[r] += tree.total[node];
      if (base) baseCum[r] += base.total[node];
    }
    onStack[r]++;
    stack.push(node);
  }
  const out: FunctionRow[] = [];
  for (const [name, r] of rowOfName) {
    if (!used[r]) continue;
    out.push(base ? { name, flat: flat[r], cum: cum[r], baseFlat: baseFlat[r], baseCum: baseCum[r] } : { name, flat: flat[r], cum: cum[r] });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

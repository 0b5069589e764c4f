import type { CallTree } from '../pprof/calltree';

/**
 * What a flame graph draws: the API's `report=flamegraph` answer (a CallTree: flat columns, nodes depth
 * first, siblings by name). In a diff (`mode=diff`) `total` and `self` are side b minus side a, as
 * pprof's diff computes them, and `base`/`baseSelf` carry side a's values, so side b's value of a
 * node is `total + base`: enough to draw both sides from one tree.
 */
export interface FlameTree extends CallTree {
  base?: number[];
  baseSelf?: number[];
}

/**
 * Frames below this share of the total are left out of the UI's flame graph (the API's
 * `node_fraction`): a tenth of a pixel on a wide screen, and it keeps 400,000-node CPU profiles to a
 * tree the browser draws in milliseconds.
 */
export const FLAME_GRAPH_NODE_FRACTION = 0.0001;

/** True when the tree is a diff and carries both sides. */
export function isDiffTree(tree: FlameTree): tree is FlameTree & { base: number[]; baseSelf: number[] } {
  return tree.base !== undefined && tree.baseSelf !== undefined;
}

import { isDiffTree, type FlameTree } from './tree';

/** Height of one row of frames, in CSS pixels. */
export const FLAME_ROW_HEIGHT = 18;

/** Frames narrower than this (CSS pixels) are left out with their subtrees: their parent shows there. */
export const MIN_FRAME_WIDTH = 0.5;

/**
 * The frames of one zoom at one width, row by row, in typed arrays so that 50,000 frames lay out in
 * one pass and redraw without allocating. Row r holds entries `rowStart[r]` to `rowStart[r + 1] - 1`,
 * left to right; row 0 is the root, and the rows above `zoomRow` hold the zoom node's ancestors.
 */
export interface FlameLayout {
  zoom: number;
  zoomRow: number;
  width: number;
  rows: number;
  count: number;
  rowStart: Int32Array;
  node: Int32Array;
  x0: Float64Array;
  x1: Float64Array;
}

/**
 * How wide each node is drawn, in sample units. A diff is drawn by both sides' values (after + before
 * = total + 2·base): its totals are deltas, possibly negative, and a frame that vanished must stay
 * visible.
 */
export function frameWeights(tree: FlameTree): Float64Array {
  const weights = new Float64Array(tree.total.length);
  const base = isDiffTree(tree) ? tree.base : undefined;
  for (let i = 0; i < weights.length; i++) {
    weights[i] = Math.max(0, base ? tree.total[i] + 2 * base[i] : tree.total[i]);
  }
  return weights;
}

/** The index after the last node of `node`'s subtree (subtrees are runs of deeper nodes). */
export function subtreeEnd(tree: FlameTree, node: number): number {
  const depth = tree.depth;
  let end = node + 1;
  while (end < depth.length && depth[end] > depth[node]) end++;
  return end;
}

/**
 * Lays the tree out `width` pixels wide with `zoom` spanning the full width: its ancestors too, one
 * full-width frame a row, and its descendants placed left to right in tree order, each child starting
 * where its previous sibling ended, widths proportional to `weights`. A zoom index that names no node
 * means the root.
 */
export function layoutFlame(tree: FlameTree, zoom: number, width: number, weights: Float64Array = frameWeights(tree), minWidth = MIN_FRAME_WIDTH): FlameLayout {
  const n = tree.depth.length;
  const z = Number.isInteger(zoom) && zoom >= 0 && zoom < n ? zoom : 0;
  const depth = tree.depth;
  const zoomRow = n === 0 ? 0 : depth[z];
  const end = n === 0 ? 0 : subtreeEnd(tree, z);
  const scale = n > 0 && weights[z] > 0 ? width / weights[z] : 0;

  // Pass 1, in tree order: place visible frames. `cursor[d]` is where the next child at depth d starts,
  // kept in sample units so that x is the exact cumulative sum the hit test and the tests compute.
  const maxEntries = n === 0 ? 0 : zoomRow + (end - z);
  const orderNode = new Int32Array(maxEntries);
  const orderX0 = new Float64Array(maxEntries);
  const orderX1 = new Float64Array(maxEntries);
  let count = 0;
  let rows = n === 0 ? 0 : zoomRow + 1;
  if (n > 0) {
    for (let a = tree.parent[z], row = zoomRow - 1; a >= 0; a = tree.parent[a], row--) {
      orderNode[row] = a;
      orderX1[row] = width;
    }
    count = zoomRow;
    orderNode[count] = z;
    orderX1[count] = width;
    count++;
  }
  const cursor = new Float64Array(Math.max(1, maxDepthIn(depth, z, end) - zoomRow + 2));
  for (let i = z + 1; i < end; i++) {
    const level = depth[i] - zoomRow;
    const start = cursor[level];
    const stop = start + weights[i];
    cursor[level] = stop;
    if ((stop - start) * scale < minWidth) {
      i = subtreeEnd(tree, i) - 1;
      continue;
    }
    cursor[level + 1] = start;
    orderNode[count] = i;
    orderX0[count] = start * scale;
    orderX1[count] = stop * scale;
    count++;
    if (depth[i] + 1 > rows) rows = depth[i] + 1;
  }

  // Pass 2: a counting sort by row; tree order within a row is already left to right.
  const rowStart = new Int32Array(rows + 1);
  for (let k = 0; k < count; k++) rowStart[depth[orderNode[k]] + 1]++;
  for (let r = 0; r < rows; r++) rowStart[r + 1] += rowStart[r];
  const fill = rowStart.slice(0, rows);
  const node = new Int32Array(count);
  const x0 = new Float64Array(count);
  const x1 = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const at = fill[depth[orderNode[k]]]++;
    node[at] = orderNode[k];
    x0[at] = orderX0[k];
    x1[at] = orderX1[k];
  }
  return { zoom: z, zoomRow, width, rows, count, rowStart, node, x0, x1 };
}

function maxDepthIn(depth: number[], from: number, end: number): number {
  let max = from < depth.length ? depth[from] : 0;
  for (let i = from + 1; i < end; i++) if (depth[i] > max) max = depth[i];
  return max;
}

/**
 * The entry drawn at `x` in `row`, or -1 for none (an empty spot, or outside the layout). With a
 * `pixelRatio`, frame edges are snapped to device pixels as the canvas draws them, so the hit is
 * exactly the frame drawn under the pointer.
 */
export function entryAt(layout: FlameLayout, x: number, row: number, pixelRatio = 0): number {
  if (!(row >= 0 && row < layout.rows)) return -1;
  const edge = pixelRatio > 0 ? (v: number) => Math.round(v * pixelRatio) / pixelRatio : (v: number) => v;
  let lo = layout.rowStart[row];
  let hi = layout.rowStart[row + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (x < edge(layout.x0[mid])) hi = mid - 1;
    else if (x >= edge(layout.x1[mid])) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export type FlameOrientation = 'icicle' | 'flame';

/** The row at content height `y`: icicles hang from row 0 at the top, flames stand on it at the bottom. */
export function rowAtY(y: number, rows: number, orientation: FlameOrientation): number {
  const band = Math.floor(y / FLAME_ROW_HEIGHT);
  return orientation === 'icicle' ? band : rows - 1 - band;
}

/** The top of `row` in content coordinates. */
export function rowTop(row: number, rows: number, orientation: FlameOrientation): number {
  return (orientation === 'icicle' ? row : rows - 1 - row) * FLAME_ROW_HEIGHT;
}

/** The node drawn at content point (x, y), or -1: exactly what the drawing put there. */
export function nodeAt(layout: FlameLayout, x: number, y: number, orientation: FlameOrientation, pixelRatio = 0): number {
  if (y < 0) return -1;
  const entry = entryAt(layout, x, rowAtY(y, layout.rows, orientation), pixelRatio);
  return entry < 0 ? -1 : layout.node[entry];
}

/** The rows that intersect the content band [top, bottom), lowest row first, as [first, last] (empty when first > last). */
export function rowsInView(layout: FlameLayout, top: number, bottom: number, orientation: FlameOrientation): [number, number] {
  const a = rowAtY(Math.max(0, top), layout.rows, orientation);
  const b = rowAtY(Math.max(0, bottom - 1e-6), layout.rows, orientation);
  const first = Math.max(0, Math.min(a, b));
  const last = Math.min(layout.rows - 1, Math.max(a, b));
  return [first, last];
}

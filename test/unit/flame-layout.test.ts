import { describe, expect, it } from 'vitest';
import { entryAt, FLAME_ROW_HEIGHT, frameWeights, layoutFlame, nodeAt, rowsInView, type FlameLayout } from '@/lib/flame/layout';
import { flameTree, nodeAtPath } from './flame-fixture';

type Tree = ReturnType<typeof flameTree>;

/** A node as its folded stack (`a;b`), `root`, or null for -1 (no node). */
function pathOf(tree: Tree, node: number): string | null {
  if (node < 0) return null;
  const names: string[] = [];
  for (let n = node; n > 0; n = tree.parent[n]) names.unshift(tree.names[tree.name[n]]);
  return names.join(';') || 'root';
}

/** Each laid-out frame as `path: [x0, x1]`, row by row. */
function frames(layout: FlameLayout, tree: Tree): Record<string, [number, number]>[] {
  const rows: Record<string, [number, number]>[] = [];
  for (let r = 0; r < layout.rows; r++) {
    const row: Record<string, [number, number]> = {};
    for (let k = layout.rowStart[r]; k < layout.rowStart[r + 1]; k++) row[pathOf(tree, layout.node[k])!] = [layout.x0[k], layout.x1[k]];
    rows.push(row);
  }
  return rows;
}

describe('layoutFlame', () => {
  const tree = flameTree({ 'a;b': 6, 'a;c': 2, d: 2 });

  it('places children left to right in tree order, widths proportional to their totals', () => {
    const layout = layoutFlame(tree, 0, 100);
    expect(frames(layout, tree)).toEqual([
      { root: [0, 100] },
      { a: [0, 80], d: [80, 100] },
      { 'a;b': [0, 60], 'a;c': [60, 80] },
    ]);
    expect(layout.zoomRow).toBe(0);
  });

  it('spans the zoom node full width with its ancestors above it and nothing outside it', () => {
    const a = nodeAtPath(tree, 'a');
    const layout = layoutFlame(tree, a, 100);
    expect(frames(layout, tree)).toEqual([{ root: [0, 100] }, { a: [0, 100] }, { 'a;b': [0, 75], 'a;c': [75, 100] }]);
    expect(layout.zoomRow).toBe(1);
    expect(layout.zoom).toBe(a);
  });

  it('treats a zoom index that names no node as the root', () => {
    expect(layoutFlame(tree, 99, 100).zoom).toBe(0);
    expect(layoutFlame(tree, -1, 100).zoom).toBe(0);
  });

  it('leaves out frames under half a pixel with their subtrees, yet keeps later siblings in place', () => {
    const wide = flameTree({ a: 1000, 'b;x': 1, c: 999 });
    const layout = layoutFlame(wide, 0, 100);
    const rows = frames(layout, wide);
    expect(Object.keys(rows[1])).toEqual(['a', 'c']);
    expect(rows[1].c[0]).toBeCloseTo((1001 / 2000) * 100, 9);
    expect(layout.rows).toBe(2);
    expect(layout.count).toBe(3);
  });

  it('leaves a parent\'s self time as an empty remainder after its children', () => {
    const tree2 = flameTree({ a: 5, 'a;b': 5 });
    const layout = layoutFlame(tree2, 0, 100);
    expect(frames(layout, tree2)[2]).toEqual({ 'a;b': [0, 50] });
  });

  it('lays a diff out by both sides, so frames that vanished stay visible', () => {
    const diff = flameTree({ kept: 10, grew: 30 }, { kept: 10, gone: 20, grew: 10 });
    expect([...frameWeights(diff)]).toEqual([80, 20, 40, 20]);
    const rows = frames(layoutFlame(diff, 0, 100), diff);
    expect(rows[1]).toEqual({ gone: [0, 25], grew: [25, 75], kept: [75, 100] });
  });
});

describe('hit testing', () => {
  const tree = flameTree({ 'a;b': 6, 'a;c': 2, d: 2 });
  const layout = layoutFlame(tree, 0, 100);
  const H = FLAME_ROW_HEIGHT;
  const path = (node: number) => pathOf(tree, node);

  it('finds in an icicle the frame of row r in y ∈ [r·H, (r+1)·H)', () => {
    expect(path(nodeAt(layout, 50, 0, 'icicle'))).toBe('root');
    expect(path(nodeAt(layout, 50, H - 0.01, 'icicle'))).toBe('root');
    expect(path(nodeAt(layout, 50, H, 'icicle'))).toBe('a');
    expect(path(nodeAt(layout, 80, H + 1, 'icicle'))).toBe('d');
    expect(path(nodeAt(layout, 79.99, 2 * H + 1, 'icicle'))).toBe('a;c');
    expect(path(nodeAt(layout, 59.99, 2 * H + 1, 'icicle'))).toBe('a;b');
  });

  it('turns rows upside down in a flame', () => {
    expect(path(nodeAt(layout, 50, 2 * H + 1, 'flame'))).toBe('root');
    expect(path(nodeAt(layout, 10, 1, 'flame'))).toBe('a;b');
  });

  it('finds nothing where nothing is drawn', () => {
    expect(nodeAt(layout, 90, 2 * H + 1, 'icicle')).toBe(-1);
    expect(nodeAt(layout, 50, 3 * H, 'icicle')).toBe(-1);
    expect(nodeAt(layout, 100, 1, 'icicle')).toBe(-1);
    expect(nodeAt(layout, 50, -1, 'icicle')).toBe(-1);
  });

  it('snaps frame edges to device pixels as the canvas draws them', () => {
    const thirds = flameTree({ a: 1, b: 1, c: 1 });
    const snapped = layoutFlame(thirds, 0, 100);
    const row1 = (x: number, ratio: number) => {
      const entry = entryAt(snapped, x, 1, ratio);
      return entry < 0 ? null : pathOf(thirds, snapped.node[entry]);
    };
    // a ends at 33.33…: drawn to pixel 33 at ratio 1, to 33.5 at ratio 2.
    expect(row1(33.2, 0)).toBe('a');
    expect(row1(33.2, 1)).toBe('b');
    expect(row1(33.2, 2)).toBe('a');
    expect(row1(33.6, 2)).toBe('b');
  });

  it('zoomed, finds the faded ancestors above the zoom node', () => {
    const zoomed = layoutFlame(tree, nodeAtPath(tree, 'a;b'), 100);
    expect(path(nodeAt(zoomed, 99, 1, 'icicle'))).toBe('root');
    expect(path(nodeAt(zoomed, 99, H + 1, 'icicle'))).toBe('a');
    expect(path(nodeAt(zoomed, 99, 2 * H + 1, 'icicle'))).toBe('a;b');
  });

  it('agrees with every laid-out frame at its middle, on a larger tree', () => {
    const stacks: Record<string, number> = {};
    for (let i = 0; i < 200; i++) stacks[`f${i % 7};g${i % 13};h${i}`] = 1 + (i % 5);
    const big = flameTree(stacks);
    const wide = layoutFlame(big, 0, 1234);
    for (let r = 0; r < wide.rows; r++) {
      for (let k = wide.rowStart[r]; k < wide.rowStart[r + 1]; k++) {
        expect(entryAt(wide, (wide.x0[k] + wide.x1[k]) / 2, r)).toBe(k);
      }
    }
  });
});

describe('rowsInView', () => {
  const deep = flameTree({ 'a;b;c;d;e;f;g;h;i': 1 });
  const layout = layoutFlame(deep, 0, 100);
  const H = FLAME_ROW_HEIGHT;

  it('gives the rows a scroll window shows, in either orientation', () => {
    expect(layout.rows).toBe(10);
    expect(rowsInView(layout, 0, 3 * H, 'icicle')).toEqual([0, 2]);
    expect(rowsInView(layout, 2.5 * H, 4 * H, 'icicle')).toEqual([2, 3]);
    expect(rowsInView(layout, 0, 3 * H, 'flame')).toEqual([7, 9]);
    expect(rowsInView(layout, 7 * H, 10 * H, 'flame')).toEqual([0, 2]);
  });
});

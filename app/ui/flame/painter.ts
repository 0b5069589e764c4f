import type { FramePalette } from '@/lib/flame/colors';
import { FLAME_ROW_HEIGHT, rowsInView, rowTop, type FlameLayout, type FlameOrientation } from '@/lib/flame/layout';
import type { FlameTree } from '@/lib/flame/tree';

/** What the painter needs besides the layout: the page's colours and fonts. */
export interface PainterStyle {
  palette: FramePalette;
  fg: string;
  highlight: string;
  mono: string;
}

/** One picture to draw: the layout seen through a window of the content, `height` CSS pixels from `scrollTop`. */
export interface PainterScene {
  tree: FlameTree;
  layout: FlameLayout;
  orientation: FlameOrientation;
  style: PainterStyle;
  /** 1 per node that matches the search, or null with no search. */
  matches: Uint8Array | null;
  scrollTop: number;
  height: number;
}

const FONT_SIZE = 11;
const TEXT_PADDING = 4;
const MIN_LABEL_CHARS = 3;
/** Alpha by look class: bit 1 a faded ancestor of the zoom node, bit 2 dimmed by a search. */
const ALPHAS = [1, 0.55, 0.3, 0.55 * 0.3];

/**
 * Draws a flame layout on a canvas in device pixels, with frame edges snapped to whole pixels so a
 * hovered frame can be cleared and redrawn alone, without touching its neighbours or laying out again.
 */
export class FlamePainter {
  private readonly ctx: CanvasRenderingContext2D;
  private scene: PainterScene | null = null;
  private dpr = 1;
  private charWidth = 0;
  private font = '';
  private hoveredNode = -1;
  private hoveredEntry = -1;
  private boxX = 0;
  private boxY = 0;
  private boxW = 0;
  private boxH = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', { alpha: true });
    if (!ctx) throw new Error('the browser gave no 2D canvas context');
    this.ctx = ctx;
  }

  /**
   * Draws the whole window of `scene` and marks how long it took (the speed bench's measure). Fills
   * go out grouped by colour and alpha, then outlines, then labels: switching canvas styles per frame
   * costs more than the rectangles themselves.
   */
  draw(scene: PainterScene): void {
    const started = performance.now();
    if (scene.tree !== this.scene?.tree) this.hoveredNode = -1;
    this.scene = scene;
    this.prepareCanvas(scene);
    const { layout, style } = scene;
    const ctx = this.ctx;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.hoveredEntry = -1;
    let drawn = 0;
    if (layout.rows > 0 && scene.height > 0) {
      const [first, last] = rowsInView(layout, scene.scrollTop, scene.scrollTop + scene.height, scene.orientation);
      const from = layout.rowStart[first];
      const to = layout.rowStart[last + 1];
      const order = this.groupByLook(from, to);
      let look = -1;
      for (let k = 0; k < order.length; k++) {
        const entry = order[k];
        if (!this.box(entry)) continue;
        const entryLook = this.lookOf(entry);
        if (entryLook !== look) {
          look = entryLook;
          ctx.fillStyle = style.palette.fills[look >> 2];
          ctx.globalAlpha = ALPHAS[look & 3];
        }
        ctx.fillRect(this.boxX, this.boxY, this.fillW(), this.fillH());
        drawn++;
      }
      ctx.globalAlpha = 1;
      if (scene.matches) {
        for (let entry = from; entry < to; entry++) {
          if (scene.matches[layout.node[entry]] === 1 && this.box(entry)) this.outline(false);
        }
      }
      for (let entry = from; entry < to; entry++) {
        if (layout.node[entry] === this.hoveredNode) this.hoveredEntry = entry;
        if (this.box(entry)) this.label(entry);
      }
      if (this.hoveredEntry >= 0) this.redraw(this.hoveredEntry, true);
    }
    ctx.globalAlpha = 1;
    performance.mark('profd:flame-drawn', { detail: { nodes: drawn, ms: performance.now() - started } });
  }

  /** Moves the hover outline to `node` (-1 for none), redrawing only the frames it leaves and enters. */
  hover(node: number, entry: number): void {
    if (node === this.hoveredNode && entry === this.hoveredEntry) return;
    const started = performance.now();
    const previous = this.hoveredEntry;
    this.hoveredNode = node;
    this.hoveredEntry = entry;
    if (this.scene) {
      if (previous >= 0) this.redraw(previous, false);
      if (entry >= 0) this.redraw(entry, true);
      this.ctx.globalAlpha = 1;
    }
    performance.mark('profd:flame-hover', { detail: { ms: performance.now() - started } });
  }

  private prepareCanvas(scene: PainterScene): void {
    const dpr = window.devicePixelRatio || 1;
    const width = Math.round(scene.layout.width * dpr);
    const height = Math.round(scene.height * dpr);
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    const font = `${Math.round(FONT_SIZE * dpr)}px ${scene.style.mono}`;
    if (font !== this.font || dpr !== this.dpr) {
      this.dpr = dpr;
      this.font = font;
      this.ctx.font = font;
      this.charWidth = this.ctx.measureText('m').width;
    }
    this.ctx.font = font;
    this.ctx.textBaseline = 'middle';
  }

  /** Clears one entry's rectangle and draws it again, outlined when hovered. */
  private redraw(entry: number, hovered: boolean): void {
    if (!this.box(entry)) return;
    const ctx = this.ctx;
    const look = this.lookOf(entry);
    ctx.clearRect(this.boxX, this.boxY, this.boxW, this.boxH);
    ctx.globalAlpha = ALPHAS[look & 3];
    ctx.fillStyle = this.scene!.style.palette.fills[look >> 2];
    ctx.fillRect(this.boxX, this.boxY, this.fillW(), this.fillH());
    ctx.globalAlpha = 1;
    const matches = this.scene!.matches;
    if (matches && matches[this.scene!.layout.node[entry]] === 1) this.outline(false);
    if (hovered) this.outline(true);
    this.label(entry);
  }

  /** Entries `from` to `to` ordered by look, by a counting sort (looks are few, entries many). */
  private groupByLook(from: number, to: number): Int32Array {
    const looks = this.scene!.style.palette.fills.length * 4;
    const starts = new Int32Array(looks + 1);
    for (let entry = from; entry < to; entry++) starts[this.lookOf(entry) + 1]++;
    for (let look = 0; look < looks; look++) starts[look + 1] += starts[look];
    const order = new Int32Array(to - from);
    for (let entry = from; entry < to; entry++) order[starts[this.lookOf(entry)]++] = entry;
    return order;
  }

  /** An entry's fill colour and alpha as one number: palette index × 4 + alpha class (see ALPHAS). */
  private lookOf(entry: number): number {
    const { layout, matches, style, tree } = this.scene!;
    const node = layout.node[entry];
    const ancestor = tree.depth[node] < layout.zoomRow ? 1 : 0;
    const dimmed = matches !== null && matches[node] !== 1 ? 2 : 0;
    return (style.palette.fillOf[node] << 2) | ancestor | dimmed;
  }

  /**
   * Puts the device-pixel rectangle an entry owns (gap included) in boxX/Y/W/H; false when it snaps to
   * nothing or is out of view. Fields rather than an object: a full draw visits 50,000 entries.
   */
  private box(entry: number): boolean {
    const { layout, tree, orientation, scrollTop } = this.scene!;
    const dpr = this.dpr;
    this.boxX = Math.round(layout.x0[entry] * dpr);
    this.boxW = Math.round(layout.x1[entry] * dpr) - this.boxX;
    this.boxY = Math.round((rowTop(tree.depth[layout.node[entry]], layout.rows, orientation) - scrollTop) * dpr);
    this.boxH = Math.round(FLAME_ROW_HEIGHT * dpr);
    return this.boxW > 0 && this.boxY + this.boxH > 0 && this.boxY < this.canvas.height;
  }

  /** The filled width of the box: a pixel's gap separates frames wide enough to spare one. */
  private fillW(): number {
    return this.boxW > 2 * this.dpr ? this.boxW - Math.max(1, Math.round(this.dpr)) : this.boxW;
  }

  private fillH(): number {
    return this.boxH - Math.max(1, Math.round(this.dpr));
  }

  /** Outlines the box: in the text colour when hovered, in the highlight colour for a search match. */
  private outline(hovered: boolean): void {
    const ctx = this.ctx;
    const line = Math.max(1, Math.round((hovered ? 1.5 : 2) * this.dpr));
    ctx.strokeStyle = hovered ? this.scene!.style.fg : this.scene!.style.highlight;
    ctx.lineWidth = line;
    ctx.strokeRect(this.boxX + line / 2, this.boxY + line / 2, Math.max(0, this.fillW() - line), Math.max(0, this.fillH() - line));
  }

  /** Writes the frame's name in the box, cut with "…" to fit; nothing when not even a few characters fit. */
  private label(entry: number): void {
    const chars = Math.floor((this.fillW() - 2 * TEXT_PADDING * this.dpr) / this.charWidth);
    if (chars < MIN_LABEL_CHARS) return;
    const { layout, tree, style } = this.scene!;
    const node = layout.node[entry];
    const name = tree.names[tree.name[node]];
    const look = this.lookOf(entry);
    const ctx = this.ctx;
    ctx.globalAlpha = ALPHAS[look & 3];
    ctx.fillStyle = style.palette.text[look >> 2];
    ctx.fillText(name.length <= chars ? name : `${name.slice(0, chars - 1)}…`, this.boxX + TEXT_PADDING * this.dpr, this.boxY + this.fillH() / 2);
    ctx.globalAlpha = 1;
  }
}

/**
 * Draws the timeline into its svg with d3: React owns the element and calls this whenever what is
 * shown changes. Interaction that needs the drawn geometry (hit testing) stays with the component;
 * this reports clicks and brushes in pixels and times.
 */
import { max } from 'd3-array';
import { axisBottom, axisLeft } from 'd3-axis';
import { brushX, type D3BrushEvent } from 'd3-brush';
import { scaleLinear, scaleTime, type ScaleLinear, type ScaleTime } from 'd3-scale';
import { pointer, select, type Selection } from 'd3-selection';
import type { TimelineLayout } from './layout';
import type { DotSeries, PlotModel } from './model';
import { indexOfTime, type DotColumn } from './nearest';
import { quantityAxis } from './quantity-axis';
import type { TimelineSelection } from './selection';
import { timeTick } from './time-ticks';

/**
 * Up to this many dots in a plot are one `<circle data-testid="timeline-dot">` each, which a test (or
 * a person) can click; above it the plot's dots are painted on the canvas under the svg. Measured in
 * Chromium: 10k circles take ~200 ms to draw, and with one `<path>` per series instead every hover
 * ring repaints all the dots (75k dots: ~200 ms per hover, 300k: seconds); the canvas is painted once
 * per change of data or zoom, and hovering only repaints the svg above it.
 */
export const CIRCLE_LIMIT = 2000;
const DOT_RADIUS = 3;
const CANVAS_DOT_RADIUS = 2;
const RING_RADIUS = 6;
/** A drag narrower than this is a click (picks the nearest dot), not a range. */
const MIN_BRUSH_PX = 3;

export interface TimelineDrawing {
  readonly layout: TimelineLayout;
  readonly plots: readonly PlotModel[];
  /** The x domain, Unix ms. */
  readonly view: readonly [number, number];
  readonly selection: TimelineSelection | null;
  readonly baseline: TimelineSelection | null;
  /** Unique per timeline on the page: clip path ids are document-global. */
  readonly idPrefix: string;
}

export interface TimelineEvents {
  /** A click on a plot at svg pixel (x, y). */
  onClick(x: number, y: number): void;
  onBrush(from: number, to: number): void;
}

/** A plot as drawn, for hit testing: `columns[i]` holds the pixels of `plot.series[i]`. */
export interface DrawnPlot {
  readonly plot: PlotModel;
  readonly x: ScaleTime<number, number>;
  readonly y: ScaleLinear<number, number>;
  readonly columns: readonly DotColumn[];
}

type Classes = Readonly<Record<string, string>>;
type G = Selection<SVGGElement, unknown, null, undefined>;

export function drawTimeline(
  svgNode: SVGSVGElement,
  canvas: HTMLCanvasElement,
  drawing: TimelineDrawing,
  classes: Classes,
  events: TimelineEvents,
): DrawnPlot[] {
  const { layout, plots, view } = drawing;
  const paint = prepareCanvas(canvas, layout.width, layout.height);
  const svg = select(svgNode).attr('width', layout.width).attr('height', layout.height);
  svg.selectAll('*').remove();
  const x = scaleTime().domain([view[0], view[1]]).range([layout.left, layout.right]);
  const xTicks = x.ticks(Math.max(2, Math.floor((layout.right - layout.left) / 110)));
  const defs = svg.append('defs');

  const drawn = plots.map((plot, i) => {
    const area = layout.plots[i];
    const quantity = quantityAxis(max(plot.series, (s) => max(s.values)) ?? 0, plot.unit);
    const y = scaleLinear().domain([0, quantity.top]).range([area.bottom, area.top]);
    const g = svg.append('g').attr('data-sample-type', plot.sampleType);

    g.append('text').attr('class', classes.title).attr('x', layout.left).attr('y', area.top - 4).text(plot.title);
    const grid = g.append('g').attr('class', classes.grid);
    grid.selectAll(null).data(quantity.ticks).join('line').attr('x1', layout.left).attr('x2', layout.right).attr('y1', y).attr('y2', y);
    grid.selectAll(null).data(xTicks).join('line').attr('x1', x).attr('x2', x).attr('y1', area.top).attr('y2', area.bottom);
    g.append('g')
      .attr('class', classes.axis)
      .attr('transform', `translate(${layout.left},0)`)
      .call(axisLeft(y).tickValues(quantity.ticks).tickFormat((v) => quantity.label(Number(v))).tickSizeOuter(0));
    if (i === plots.length - 1) {
      g.append('g').attr('class', classes.axis).attr('transform', `translate(0,${area.bottom})`).call(axisBottom(x).tickValues(xTicks).tickFormat((d) => timeTick(d as Date)).tickSizeOuter(0));
    }

    // Dots on the plot's edges stay whole; anything further out (zoomed away) is cut off.
    const clipId = `${drawing.idPrefix}-clip-${i}`;
    defs
      .append('clipPath')
      .attr('id', clipId)
      .append('rect')
      .attr('x', layout.left - RING_RADIUS)
      .attr('y', area.top - RING_RADIUS)
      .attr('width', layout.right - layout.left + 2 * RING_RADIUS)
      .attr('height', area.bottom - area.top + 2 * RING_RADIUS);
    const clipped = () => g.append('g').attr('clip-path', `url(#${clipId})`);

    const bands = clipped();
    const brushGroup = g.append('g').attr('class', classes.brush).attr('data-testid', 'timeline-brush');
    const dots = clipped().attr('class', classes.dots);
    const rings = clipped().attr('class', classes.rings);

    const columns = plot.series.map((s) => ({ xs: s.timestamps.map(x), ys: s.values.map(y) }));
    const dotCount = plot.series.reduce((n, s) => n + s.timestamps.length, 0);
    if (dotCount <= CIRCLE_LIMIT) drawCircles(dots, plot.series, columns);
    else paintDots(paint, plot.series, columns, { left: layout.left, right: layout.right, ...area });

    const brush = brushX<unknown>()
      .extent([
        [layout.left, area.top],
        [layout.right, area.bottom],
      ])
      .on('end', (event: D3BrushEvent<unknown>) => {
        if (!event.sourceEvent) return;
        const range = event.selection as [number, number] | null;
        if (range && range[1] - range[0] >= MIN_BRUSH_PX) {
          events.onBrush(x.invert(range[0]).getTime(), x.invert(range[1]).getTime());
          return;
        }
        if (range) brushGroup.call(brush.move, null);
        const [px, py] = pointer(event.sourceEvent, svgNode);
        events.onClick(px, py);
      });
    brushGroup.call(brush);
    // The dots lie over the brush so a test (or a person) can click a circle; a drag that starts on
    // one must still brush, so its mousedown is handed to the brush's overlay.
    const overlay = brushGroup.select<SVGRectElement>('.overlay').node();
    dots.on('mousedown', (event: MouseEvent) => overlay?.dispatchEvent(new MouseEvent('mousedown', event)));

    const compare = drawing.baseline !== null;
    drawMark(bands, rings, drawing.baseline, compare ? 'A' : '', classes.markA, x, area, plot.series, columns);
    drawMark(bands, rings, drawing.selection, compare ? 'B' : '', classes.markB, x, area, plot.series, columns);
    return { plot, x, y, columns };
  });

  svg.append('g').attr('class', classes.hover);
  return drawn;
}

/** Rings the hovered dot (svg pixels), or clears the ring. */
export function drawHover(svgNode: SVGSVGElement, classes: Classes, dot: { x: number; y: number; colour: string } | null): void {
  select(svgNode)
    .select(`.${classes.hover}`)
    .selectAll('circle')
    .data(dot ? [dot] : [])
    .join('circle')
    .attr('cx', (d) => d.x)
    .attr('cy', (d) => d.y)
    .attr('r', RING_RADIUS)
    .attr('stroke', (d) => d.colour);
}

function drawCircles(dots: G, series: readonly DotSeries[], columns: readonly DotColumn[]): void {
  series.forEach((s, i) => {
    const { xs, ys } = columns[i];
    dots
      .append('g')
      .attr('fill', s.colour)
      .selectAll('circle')
      .data(s.timestamps)
      .join('circle')
      .attr('data-testid', 'timeline-dot')
      .attr('data-time', (t) => t)
      .attr('cx', (_, j) => xs[j])
      .attr('cy', (_, j) => ys[j])
      .attr('r', DOT_RADIUS);
  });
}

/** The canvas sized to the svg in device pixels, cleared, and drawing in css pixels. */
function prepareCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const paint = canvas.getContext('2d');
  paint?.setTransform(ratio, 0, 0, ratio, 0, 0);
  return paint;
}

function paintDots(
  paint: CanvasRenderingContext2D | null,
  series: readonly DotSeries[],
  columns: readonly DotColumn[],
  area: { left: number; right: number; top: number; bottom: number },
): void {
  if (!paint) return;
  const r = CANVAS_DOT_RADIUS;
  paint.save();
  paint.beginPath();
  paint.rect(area.left - r, area.top - r, area.right - area.left + 2 * r, area.bottom - area.top + 2 * r);
  paint.clip();
  series.forEach((s, i) => {
    const { xs, ys } = columns[i];
    paint.fillStyle = s.colour;
    paint.beginPath();
    for (let j = 0; j < xs.length; j++) {
      if (xs[j] < area.left - r || xs[j] > area.right + r) continue;
      paint.moveTo(xs[j] + r, ys[j]);
      paint.arc(xs[j], ys[j], r, 0, 2 * Math.PI);
    }
    paint.fill();
  });
  paint.restore();
}

/** A picked range as a shaded band, a picked profile as a line through its time and a ring on its dot. */
function drawMark(
  bands: G,
  rings: G,
  mark: TimelineSelection | null,
  label: string,
  className: string,
  x: ScaleTime<number, number>,
  area: { top: number; bottom: number },
  series: readonly DotSeries[],
  columns: readonly DotColumn[],
): void {
  if (!mark) return;
  const group = bands.append('g').attr('class', className);
  let labelX: number;
  if (mark.kind === 'range') {
    labelX = x(mark.from);
    group
      .append('rect')
      .attr('x', labelX)
      .attr('y', area.top)
      .attr('width', Math.max(1, x(mark.to) - labelX))
      .attr('height', area.bottom - area.top);
  } else {
    labelX = x(mark.time);
    group.append('line').attr('x1', labelX).attr('x2', labelX).attr('y1', area.top).attr('y2', area.bottom);
    const ringGroup = rings.append('g').attr('class', className);
    series.forEach((s, i) => {
      if (mark.labels && !sameLabels(mark.labels, s.labels)) return;
      const j = indexOfTime(s.timestamps, mark.time);
      if (j >= 0) ringGroup.append('circle').attr('cx', columns[i].xs[j]).attr('cy', columns[i].ys[j]).attr('r', RING_RADIUS);
    });
  }
  if (label) group.append('text').attr('x', labelX + 3).attr('y', area.top + 11).text(label);
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => a[name] === b[name]);
}

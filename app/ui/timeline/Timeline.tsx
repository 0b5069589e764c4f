'use client';
import { scaleTime } from 'd3-scale';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent } from 'd3-zoom';
import { useEffect, useId, useMemo, useRef, useState, type PointerEvent } from 'react';
import type { RangeSeries } from '@/lib/query/range';
import { formatQuantity, formatTime } from '../format';
import { drawHover, drawTimeline, type DrawnPlot } from './draw';
import { plotAt, timelineLayout } from './layout';
import { legendEntries, timelinePlots, type DotSeries, type PlotModel } from './model';
import { nearestDot } from './nearest';
import { rangeOfMarks, zoomedOut, type TimelineSelection } from './selection';
import { labelPairs } from './series-labels';
import { useWidth } from './use-width';
import styles from './Timeline.module.css';

export type { TimelineSelection } from './selection';

export interface TimelineProps {
  series: RangeSeries[];
  /** The x domain, Unix ms. */
  from: number;
  to: number;
  /** Drawn as a ringed dot (one profile) or a shaded band (a merged range). */
  selection: TimelineSelection | null;
  /** Compare mode's side A, drawn in a second colour; `selection` is then side B. */
  baseline?: TimelineSelection | null;
  onPickProfile(labels: Record<string, string>, time: number): void;
  onBrush(from: number, to: number): void;
  onZoom(from: number, to: number): void;
}

/** How close (px) the pointer must be to a dot to hover or pick it. */
const HIT_RADIUS = 24;
/** Wheel zooming stops at a one-second-wide range. */
const MIN_SPAN_MS = 1000;
const TOOLTIP_WIDTH = 260;

/** The dot under the pointer; it holds its series, so a redraw with new data cannot misread it. */
interface Hover {
  readonly plot: PlotModel;
  readonly series: DotSeries;
  readonly index: number;
  readonly x: number;
  readonly y: number;
}

/**
 * Every profile the query matched as a dot (x its time, y its total), one plot per sample type.
 * Click a dot to open that profile, drag across a plot to merge a range, wheel to zoom the time axis.
 */
export function Timeline({ series, from, to, selection, baseline = null, onPickProfile, onBrush, onZoom }: TimelineProps) {
  const container = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const width = useWidth(container);
  const idPrefix = `timeline${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [hover, setHover] = useState<Hover | null>(null);
  // A wheel zoom shows at once and reaches the page (and the URL) when the wheel stops.
  const [preview, setPreview] = useState<{ base: string; domain: [number, number] } | null>(null);
  const base = `${from}:${to}`;
  const [viewFrom, viewTo] = preview?.base === base ? preview.domain : [from, to];

  // The page passes new callbacks on every render; d3's handlers read the latest through a ref.
  const callbacks = useRef({ onPickProfile, onBrush, onZoom });
  useEffect(() => {
    callbacks.current = { onPickProfile, onBrush, onZoom };
  });

  const plots = useMemo(() => timelinePlots(series, hidden), [series, hidden]);
  const legend = useMemo(() => legendEntries(series), [series]);
  const layout = useMemo(() => timelineLayout(width, plots.length), [width, plots.length]);
  const drawn = useRef<DrawnPlot[]>([]);

  // Marks compare by value: the page builds new selection objects on every render.
  const selectionKey = JSON.stringify(selection);
  const baselineKey = JSON.stringify(baseline);
  useEffect(() => {
    const svg = svgRef.current;
    const canvas = canvasRef.current;
    if (!svg || !canvas || width === 0) return;
    const marks = { selection: JSON.parse(selectionKey) as TimelineSelection | null, baseline: JSON.parse(baselineKey) as TimelineSelection | null };
    drawn.current = drawTimeline(svg, canvas, { layout, plots, view: [viewFrom, viewTo], idPrefix, ...marks }, styles, {
      onClick(x, y) {
        const hit = hitAt(x, y);
        if (hit) callbacks.current.onPickProfile({ ...hit.series.labels }, hit.series.timestamps[hit.index]);
      },
      onBrush: (a, b) => callbacks.current.onBrush(a, b),
    });
    setHover(null);
  }, [layout, plots, viewFrom, viewTo, selectionKey, baselineKey, idPrefix, width]);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || width === 0) return;
    const x = scaleTime().domain([from, to]).range([layout.left, layout.right]);
    const domainOf = (event: D3ZoomEvent<SVGSVGElement, unknown>): [number, number] => {
      const [a, b] = event.transform.rescaleX(x).domain();
      return [a.getTime(), b.getTime()];
    };
    const behaviour = zoom<SVGSVGElement, unknown>()
      .filter((event: Event) => event.type === 'wheel')
      .scaleExtent([1 / 16, Math.max(1, (to - from) / MIN_SPAN_MS)])
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        if (event.sourceEvent) setPreview({ base: `${from}:${to}`, domain: domainOf(event) });
      })
      .on('end', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        if (event.sourceEvent) callbacks.current.onZoom(...domainOf(event));
      });
    const target = select(svg).call(behaviour).call(behaviour.transform, zoomIdentity);
    return () => {
      target.on('.zoom', null);
    };
  }, [from, to, layout.left, layout.right, width]);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    drawHover(svg, styles, hover && { x: hover.x, y: hover.y, colour: hover.series.colour });
  }, [hover]);

  /** The dot a click at svg pixel (x, y) opens: the nearest within reach, in the plot under the pointer. */
  function hitAt(x: number, y: number): Hover | null {
    const plot = plotAt(layout, y);
    const geometry = drawn.current[plot];
    if (!geometry) return null;
    const hit = nearestDot(geometry.columns, x, y, HIT_RADIUS);
    if (!hit) return null;
    const column = geometry.columns[hit.series];
    return { plot: geometry.plot, series: geometry.plot.series[hit.series], index: hit.index, x: column.xs[hit.index], y: column.ys[hit.index] };
  }

  function onPointerMove(event: PointerEvent<SVGSVGElement>) {
    if (event.buttons !== 0) return setHover(null);
    const box = event.currentTarget.getBoundingClientRect();
    const hit = hitAt(event.clientX - box.left, event.clientY - box.top);
    setHover((current) => (current && hit && current.series === hit.series && current.index === hit.index ? current : hit));
  }

  const zoomTarget = rangeOfMarks([selection, baseline]);
  return (
    <div className={styles.timeline}>
      <div className={styles.plotArea} ref={container}>
        <canvas ref={canvasRef} className={styles.canvas} aria-hidden />
        <svg ref={svgRef} className={styles.svg} data-testid="timeline" data-from={viewFrom} data-to={viewTo} onPointerMove={onPointerMove} onPointerLeave={() => setHover(null)} />
        {hover && <Tooltip hover={hover} width={width} />}
      </div>
      <div className={styles.footer}>
        <ul className={styles.legend} aria-label="Series">
          {legend.map((entry) => (
            <li key={entry.key}>
              <button
                type="button"
                className={styles.legendEntry}
                aria-pressed={!hidden.has(entry.key)}
                title={`${entry.title}\nClick to ${hidden.has(entry.key) ? 'show' : 'hide'}`}
                onClick={() => setHidden((current) => toggled(current, entry.key))}
              >
                <span className={styles.swatch} style={{ background: entry.colour }} />
                {entry.text}
              </button>
            </li>
          ))}
        </ul>
        <div className={styles.actions}>
          {zoomTarget && (
            <button type="button" onClick={() => onZoom(zoomTarget.from, zoomTarget.to)} title="Show only the selected range">
              Zoom to selection
            </button>
          )}
          <button type="button" onClick={() => onZoom(...spanOf(zoomedOut(viewFrom, viewTo)))} title="Show twice the time (or use the mouse wheel over the plot)">
            Zoom out
          </button>
        </div>
      </div>
    </div>
  );
}

function Tooltip({ hover, width }: { hover: Hover; width: number }) {
  const { plot, series: s } = hover;
  const flip = hover.x + 12 + TOOLTIP_WIDTH > width;
  const style = { top: hover.y + 10, left: flip ? Math.max(0, hover.x - 12 - TOOLTIP_WIDTH) : hover.x + 12, width: TOOLTIP_WIDTH };
  return (
    <div className={styles.tooltip} style={style} role="tooltip" data-testid="timeline-tooltip">
      <div className={styles.tooltipHead}>
        <span className={styles.swatch} style={{ background: s.colour }} />
        <strong>{formatQuantity(s.values[hover.index], plot.unit)}</strong>
        <span className={styles.muted}>{formatTime(s.timestamps[hover.index])}</span>
      </div>
      <ul className={styles.tooltipLabels}>
        {labelPairs(s.labels).map((pair) => (
          <li key={pair}>{pair}</li>
        ))}
      </ul>
      <div className={styles.muted}>{plot.title} · click to open</div>
    </div>
  );
}

function toggled(set: ReadonlySet<string>, key: string): ReadonlySet<string> {
  const next = new Set(set);
  if (!next.delete(key)) next.add(key);
  return next;
}

function spanOf(range: { from: number; to: number }): [number, number] {
  return [range.from, range.to];
}

'use client';
import { useLayoutEffect, useMemo, useRef, useState, type MouseEvent, type RefObject } from 'react';
import { framePalette, mixColors, type FlameThemeColors } from '@/lib/flame/colors';
import { entryAt, FLAME_ROW_HEIGHT, frameWeights, layoutFlame, rowAtY, type FlameOrientation } from '@/lib/flame/layout';
import { searchTree } from '@/lib/flame/search';
import { isDiffTree, type FlameTree } from '@/lib/flame/tree';
import { formatQuantity, formatShare } from '../format';
import styles from './FlameGraph.module.css';
import { FlameTooltip } from './FlameTooltip';
import { FlamePainter, type PainterStyle } from './painter';

export { FLAME_ROW_HEIGHT };

export interface FlameGraphProps {
  tree: FlameTree;
  /** icicle: root at the top, growing down; flame: root at the bottom, growing up. */
  orientation: FlameOrientation;
  /** The node drawn full width (0 = root). */
  zoom: number;
  /** A frame or breadcrumb was clicked: zoom to that node. */
  onZoom(node: number): void;
  /** '' for none; a case-insensitive regular expression when valid, else a substring. */
  search: string;
  /** A frame was double-clicked (e.g. to show it in the sandwich view). */
  onFrameContext?(name: string): void;
}

interface Hover {
  node: number;
  clientX: number;
  clientY: number;
}

/**
 * A flame graph on a canvas: laid out once per tree, zoom and width; scrolling and hovering only
 * redraw. The canvas is as tall as the scroll window and sticks to its top, so a deep tree scrolls
 * without a canvas taller than browsers allow.
 */
export function FlameGraph({ tree, orientation, zoom, onZoom, search, onFrameContext }: FlameGraphProps) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const painterRef = useRef<FlamePainter | null>(null);
  const [size, setSize] = useState({ width: 0, maxHeight: Infinity });
  const [scrollTop, setScrollTop] = useState(0);
  const [hover, setHover] = useState<Hover | null>(null);
  const style = usePainterStyle(scrollerRef, tree);

  const weights = useMemo(() => frameWeights(tree), [tree]);
  const layout = useMemo(() => layoutFlame(tree, zoom, size.width, weights), [tree, zoom, size.width, weights]);
  const found = useMemo(() => searchTree(tree, search), [tree, search]);
  const contentHeight = layout.rows * FLAME_ROW_HEIGHT;
  const viewHeight = Math.min(size.maxHeight, contentHeight);

  useLayoutEffect(() => {
    const scroller = scrollerRef.current!;
    // The window's height cap comes from its CSS (max-height less borders), so the canvas gets its
    // final height in the same frame as a new layout instead of after the window has grown.
    const measure = () => {
      const maxHeight = parseFloat(getComputedStyle(scroller).maxHeight);
      const borders = scroller.offsetHeight - scroller.clientHeight;
      const next = { width: scroller.clientWidth, maxHeight: Number.isFinite(maxHeight) ? maxHeight - borders : Infinity };
      setSize((size) => (size.width === next.width && size.maxHeight === next.maxHeight ? size : next));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, []);

  // A flame stands on its root, so a deep one starts scrolled to the bottom and, as rows come and go
  // with zooming, keeps its distance from the bottom: the clicked frame stays under the pointer.
  const shownRef = useRef<{ orientation: FlameOrientation; contentHeight: number } | null>(null);
  useLayoutEffect(() => {
    const scroller = scrollerRef.current!;
    const shown = shownRef.current;
    if (!shown || shown.orientation !== orientation) scroller.scrollTop = orientation === 'flame' ? scroller.scrollHeight : 0;
    else if (orientation === 'flame') scroller.scrollTop += contentHeight - shown.contentHeight;
    shownRef.current = { orientation, contentHeight };
    setScrollTop(scroller.scrollTop);
  }, [orientation, contentHeight]);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !style || layout.width === 0) return;
    painterRef.current ??= new FlamePainter(canvas);
    painterRef.current.draw({ tree, layout, orientation, style, matches: found?.matches ?? null, scrollTop, height: viewHeight });
  }, [tree, layout, orientation, style, found, scrollTop, viewHeight]);

  /** The frame under the pointer: the canvas shows the content from `scrollTop` down. */
  const pointAt = (event: MouseEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top + scrollTop;
    const entry = y < 0 ? -1 : entryAt(layout, x, rowAtY(y, layout.rows, orientation), window.devicePixelRatio || 1);
    return { entry, node: entry < 0 ? -1 : layout.node[entry] };
  };

  const onMouseMove = (event: MouseEvent<HTMLCanvasElement>) => {
    const { entry, node } = pointAt(event);
    painterRef.current?.hover(node, entry);
    setHover(node < 0 ? null : { node, clientX: event.clientX, clientY: event.clientY });
  };
  const onMouseLeave = () => {
    painterRef.current?.hover(-1, -1);
    setHover(null);
  };
  const onClick = (event: MouseEvent<HTMLCanvasElement>) => {
    const { node } = pointAt(event);
    if (node >= 0) onZoom(node);
  };
  const onDoubleClick = (event: MouseEvent<HTMLCanvasElement>) => {
    const { node } = pointAt(event);
    if (node >= 0 && onFrameContext) onFrameContext(tree.names[tree.name[node]]);
  };

  const zoomName = tree.name.length > 0 ? tree.names[tree.name[layout.zoom]] : '';
  return (
    <div className={styles.flame}>
      <Breadcrumb tree={tree} zoom={layout.zoom} onZoom={onZoom} />
      {found && <SearchSummary tree={tree} found={found} />}
      <div
        ref={scrollerRef}
        className={styles.scroller}
        onScroll={(event) => {
          setScrollTop(event.currentTarget.scrollTop);
          onMouseLeave();
        }}
      >
        <div className={styles.content} style={{ height: contentHeight }}>
          <canvas
            ref={canvasRef}
            className={styles.canvas}
            style={{ height: viewHeight }}
            data-testid="flame-canvas"
            role="img"
            aria-label={`Flame graph of ${zoomName}`}
            onMouseMove={onMouseMove}
            onMouseLeave={onMouseLeave}
            onClick={onClick}
            onDoubleClick={onDoubleClick}
          />
        </div>
      </div>
      {hover && <FlameTooltip tree={tree} node={hover.node} zoom={layout.zoom} clientX={hover.clientX} clientY={hover.clientY} contextHint={onFrameContext !== undefined} />}
    </div>
  );
}

/** root › … › the zoom node; each crumb zooms out to itself. */
function Breadcrumb({ tree, zoom, onZoom }: { tree: FlameTree; zoom: number; onZoom(node: number): void }) {
  const path = useMemo(() => {
    const nodes: number[] = [];
    for (let node = tree.name.length > 0 ? zoom : -1; node >= 0; node = tree.parent[node]) nodes.push(node);
    return nodes.reverse();
  }, [tree, zoom]);
  const navRef = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    navRef.current!.scrollLeft = navRef.current!.scrollWidth;
  }, [path]);
  return (
    <nav ref={navRef} className={styles.crumbNav} aria-label="Zoom path">
      <ol className={styles.crumbs}>
        {path.map((node) => (
          <li key={node} className={styles.crumb}>
            <button
              type="button"
              data-testid="flame-crumb"
              title={tree.names[tree.name[node]]}
              aria-current={node === zoom ? 'location' : undefined}
              onClick={() => onZoom(node)}
            >
              {tree.names[tree.name[node]]}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function SearchSummary({ tree, found }: { tree: FlameTree; found: NonNullable<ReturnType<typeof searchTree>> }) {
  const unit = tree.sampleType.unit;
  const frames = `${found.count} matching frame${found.count === 1 ? '' : 's'}`;
  return (
    <div className={styles.summary} data-testid="flame-search-summary">
      {found.count === 0
        ? frames
        : `${frames} · ${formatQuantity(found.value, unit)} of ${formatQuantity(found.total, unit)}${isDiffTree(tree) ? ' after' : ''} (${formatShare(found.value, found.total)})`}
    </div>
  );
}

/**
 * The page's colours for the canvas, read from the CSS variables on `ref`'s element so dark mode
 * works, and read again when the viewer's colour scheme changes.
 */
function usePainterStyle(ref: RefObject<HTMLElement | null>, tree: FlameTree): PainterStyle | null {
  const [colors, setColors] = useState<(FlameThemeColors & { highlight: string; mono: string }) | null>(null);
  useLayoutEffect(() => {
    const read = () => {
      const css = getComputedStyle(ref.current!);
      const variable = (name: string) => css.getPropertyValue(name).trim();
      const bg = variable('--bg');
      setColors({
        fg: variable('--fg'),
        bg,
        grow: variable('--grow'),
        shrink: variable('--shrink'),
        neutral: mixColors(variable('--muted'), bg, 0.55),
        highlight: variable('--highlight'),
        mono: variable('--mono') || 'monospace',
      });
    };
    read();
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', read);
    return () => scheme.removeEventListener('change', read);
  }, [ref]);
  return useMemo(
    () => (colors ? { palette: framePalette(tree, colors), fg: colors.fg, highlight: colors.highlight, mono: colors.mono } : null),
    [tree, colors],
  );
}

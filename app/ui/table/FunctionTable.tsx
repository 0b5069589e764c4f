'use client';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import {
  columnVisibilityFeature, createColumnHelper, createSortedRowModel, rowSortingFeature, sortFn_basic, sortFn_text, tableFeatures, useTable,
  type SortingState,
} from '@tanstack/react-table';
import type { FunctionRow } from '@/lib/flame/table';
import { formatCount, formatDelta, formatQuantity, formatShare } from '../format';
import styles from './FunctionTable.module.css';
import { filterRows, formatRelativeChange, relativeChange, visibleRows } from './function-table-model';

export interface FunctionTableProps {
  rows: FunctionRow[];
  /** The sample type's unit (`nanoseconds`, `bytes`, `count`). */
  unit: string;
  /** The root's total: what the percentages are of (side b's in a diff). */
  total: number;
  /** Side a's root total; present exactly when the rows are a diff. */
  baseTotal?: number;
  selected?: string | null;
  onSelect(name: string): void;
  /** A case-insensitive regular expression, or a substring when it is not one. */
  filter: string;
  onFilterChange(text: string): void;
}

/** Must match `.row` in the CSS: windowing computes which rows are in view from it. */
const ROW_HEIGHT = 22;
/** Rows rendered above and below the window, so fast scrolling shows no blank rows. */
const OVERSCAN = 12;
/** The window's height before it has been measured: about what 70vh is on a laptop. */
const INITIAL_VIEW_HEIGHT = 640;

const features = tableFeatures({ rowSortingFeature, columnVisibilityFeature, sortedRowModel: createSortedRowModel() });
const helper = createColumnHelper<typeof features, FunctionRow>();
const FLAT_FIRST: SortingState = [{ id: 'flat', desc: true }];
const HIDDEN_COLUMNS = { change: false };
const rowId = (row: FunctionRow) => row.name;
const BIGGEST_CHANGE_FIRST: SortingState = [{ id: 'change', desc: true }];

/** Columns of one profile: pprof's top table. */
function profileColumns(unit: string, total: number) {
  const quantity = (value: number) => formatQuantity(value, unit);
  return helper.columns([
    helper.accessor('flat', { ...numeric, header: 'Flat', meta: { title: 'Value of the stacks that end in the function' }, cell: (c) => quantity(c.getValue()) }),
    helper.accessor((row) => row.flat, { ...numeric, id: 'flatShare', header: 'Flat%', cell: (c) => formatShare(c.getValue(), total) }),
    helper.accessor('cum', { ...numeric, header: 'Cum', meta: { title: 'Value of the stacks the function is on, recursion counted once' }, cell: (c) => quantity(c.getValue()) }),
    helper.accessor((row) => row.cum, { ...numeric, id: 'cumShare', header: 'Cum%', cell: (c) => formatShare(c.getValue(), total) }),
    functionColumn,
  ]);
}

/** Columns of a diff: each function's cum before and after, and the change. */
function diffColumns(unit: string) {
  const quantity = (value: number) => formatQuantity(value, unit);
  const before = (row: FunctionRow) => row.baseCum ?? 0;
  const after = (row: FunctionRow) => row.cum + (row.baseCum ?? 0);
  return helper.columns([
    helper.accessor(before, { ...numeric, id: 'before', header: 'Before', meta: { title: 'Cum of side A' }, cell: (c) => quantity(c.getValue()) }),
    helper.accessor(after, { ...numeric, id: 'after', header: 'After', meta: { title: 'Cum of side B' }, cell: (c) => quantity(c.getValue()) }),
    helper.accessor('cum', {
      ...numeric, id: 'delta', header: 'Delta', meta: { title: 'After minus before' },
      cell: (c) => <span className={changeClass(c.getValue())}>{formatDelta(c.getValue(), unit)}</span>,
    }),
    helper.accessor((row) => relativeChange(before(row), after(row)), {
      ...numeric, id: 'deltaShare', header: 'Delta %', meta: { title: 'The change relative to before' },
      cell: (c) => <span className={changeClass(c.getValue())}>{formatRelativeChange(before(c.row.original), after(c.row.original))}</span>,
    }),
    // Hidden: the default order, biggest change either way first.
    helper.accessor((row) => Math.abs(row.cum), { ...numeric, id: 'change', header: '|Delta|' }),
    functionColumn,
  ]);
}

const numeric = { sortFn: sortFn_basic, sortDescFirst: true, meta: {} as ColumnMeta } as const;
const functionColumn = helper.accessor('name', { header: 'Function', sortFn: sortFn_text, sortDescFirst: false, meta: { title: 'Click a row to find the function in the flame graph' } });

interface ColumnMeta {
  title?: string;
}

function changeClass(value: number): string | undefined {
  return value > 0 ? styles.grow : value < 0 ? styles.shrink : undefined;
}

/**
 * The functions of a profile in a sortable, filterable table (pprof's top, or before/after/delta in a
 * diff). Only the rows in view are rendered, so 20,000 functions scroll as smoothly as 20.
 */
export function FunctionTable({ rows, unit, total, baseTotal, selected, onSelect, filter, onFilterChange }: FunctionTableProps) {
  const diff = baseTotal !== undefined;
  const columns = useMemo(() => (diff ? diffColumns(unit) : profileColumns(unit, total)), [diff, unit, total]);
  const data = useMemo(() => filterRows(rows, filter), [rows, filter]);
  const [sorting, setSorting] = useState<SortingState>(diff ? BIGGEST_CHANGE_FIRST : FLAT_FIRST);
  const [shownAsDiff, setShownAsDiff] = useState(diff);
  if (shownAsDiff !== diff) {
    // Switching between a profile and a diff: the other kind's columns are gone, so is their order.
    setShownAsDiff(diff);
    setSorting(diff ? BIGGEST_CHANGE_FIRST : FLAT_FIRST);
  }
  const table = useTable({
    features,
    columns,
    data,
    getRowId: rowId,
    state: { sorting, columnVisibility: HIDDEN_COLUMNS },
    onSortingChange: setSorting,
    enableSortingRemoval: false,
    enableMultiSort: false,
  });
  const sorted = table.getRowModel().rows;

  const scrollerRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ scrollTop: 0, height: INITIAL_VIEW_HEIGHT });
  useLayoutEffect(() => {
    const scroller = scrollerRef.current!;
    const observer = new ResizeObserver(() => setView((v) => ({ ...v, height: scroller.clientHeight })));
    observer.observe(scroller);
    return () => observer.disconnect();
  }, []);
  // A new filter or order starts at the top.
  useLayoutEffect(() => {
    scrollerRef.current!.scrollTop = 0;
  }, [filter, sorting]);
  useScrollToSelected(scrollerRef, selected, sorted, view.height);

  const { start, end } = visibleRows(view.scrollTop, view.height, ROW_HEIGHT, sorted.length, OVERSCAN);
  const cellsShown = table.getVisibleLeafColumns().length;
  const select = (name: string) => onSelect(name);
  const onRowKey = (event: KeyboardEvent, name: string) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    select(name);
  };

  return (
    <div className={styles.wrapper}>
      <div className={styles.toolbar}>
        <input
          type="search"
          className={styles.filter}
          data-testid="function-filter"
          placeholder="Filter functions (regex)"
          aria-label="Filter functions"
          value={filter}
          onChange={(e) => onFilterChange(e.target.value)}
        />
        <span className={styles.count}>
          {data.length === rows.length ? `${formatCount(rows.length)} functions` : `${formatCount(data.length)} of ${formatCount(rows.length)} functions`}
          {sorting[0]?.id === 'change' && ', biggest change first'}
        </span>
      </div>
      <div ref={scrollerRef} className={styles.scroller} onScroll={(e) => {
          const scrollTop = e.currentTarget.scrollTop;
          setView((v) => ({ ...v, scrollTop }));
        }}>
        <table className={diff ? `${styles.table} ${styles.diff}` : styles.table} data-testid="function-table">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const order = header.column.getIsSorted();
                  const meta = header.column.columnDef.meta as ColumnMeta | undefined;
                  return (
                    <th
                      key={header.id}
                      className={header.column.id === 'name' ? styles.name : styles.number}
                      aria-sort={order === 'asc' ? 'ascending' : order === 'desc' ? 'descending' : 'none'}
                      title={meta?.title}
                    >
                      <button type="button" className={styles.sort} onClick={header.column.getToggleSortingHandler()}>
                        <table.FlexRender header={header} />
                        <span className={styles.arrow} aria-hidden>{order === 'asc' ? '▲' : order === 'desc' ? '▼' : ''}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {start > 0 && <Spacer rows={start} columns={cellsShown} />}
            {sorted.slice(start, end).map((row, i) => {
              const name = row.original.name;
              const isSelected = name === selected;
              const classes = [styles.row, (start + i) % 2 === 1 && styles.striped, isSelected && styles.selected];
              return (
                <tr
                  key={row.id}
                  className={classes.filter(Boolean).join(' ')}
                  data-testid="function-row"
                  aria-selected={isSelected}
                  tabIndex={0}
                  onClick={() => select(name)}
                  onKeyDown={(e) => onRowKey(e, name)}
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className={cell.column.id === 'name' ? styles.name : styles.number} title={cell.column.id === 'name' ? name : undefined}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              );
            })}
            {end < sorted.length && <Spacer rows={sorted.length - end} columns={cellsShown} />}
          </tbody>
        </table>
        {sorted.length === 0 && <p className={styles.empty}>{rows.length === 0 ? 'No functions in this profile.' : 'No function matches the filter.'}</p>}
      </div>
    </div>
  );
}

/** Stands in for rows out of view, so the scrollbar measures the whole table. */
function Spacer({ rows, columns }: { rows: number; columns: number }): ReactNode {
  return (
    <tr aria-hidden className={styles.spacer} style={{ height: rows * ROW_HEIGHT }}>
      <td colSpan={columns} />
    </tr>
  );
}

/**
 * Brings the selected function into view when the selection changes (say, from a click in the flame
 * graph). Only a new selection scrolls: a new order or filter must not pull the view back to it.
 */
function useScrollToSelected(scrollerRef: RefObject<HTMLDivElement | null>, selected: string | null | undefined, rows: readonly { id: string }[], viewHeight: number) {
  const latest = useRef({ rows, viewHeight });
  useEffect(() => {
    latest.current = { rows, viewHeight };
  });
  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller || !selected) return;
    const { rows, viewHeight } = latest.current;
    const index = rows.findIndex((row) => row.id === selected);
    if (index < 0) return;
    const header = scroller.querySelector('thead')?.getBoundingClientRect().height ?? ROW_HEIGHT;
    const top = header + index * ROW_HEIGHT;
    if (top < scroller.scrollTop + header || top + ROW_HEIGHT > scroller.scrollTop + viewHeight) {
      scroller.scrollTop = Math.max(0, top - viewHeight / 2);
    }
  }, [scrollerRef, selected]);
}

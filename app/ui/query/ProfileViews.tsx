'use client';
import { useMemo, useState } from 'react';
import { findNode, nodePath } from '@/lib/flame/path';
import { sandwich } from '@/lib/flame/sandwich';
import { functionRows } from '@/lib/flame/table';
import { isDiffTree, type FlameTree } from '@/lib/flame/tree';
import { FlameGraph } from '../flame/FlameGraph';
import { FunctionTable } from '../table/FunctionTable';
import type { Navigate } from './QueryPage';
import styles from './ProfileViews.module.css';
import type { QueryState } from './url-state';

/** The profile drawn as the URL's view asks: flame graph, table, both side by side, or a function's sandwich. */
export function ProfileViews({ state, navigate, tree }: { state: QueryState; navigate: Navigate; tree: FlameTree }) {
  // The table's rows cost ~20 ms on a 20,000-node tree: not worth paying while only the flame graph shows.
  const rows = useMemo(() => (state.view === 'flame' ? [] : functionRows(tree)), [tree, state.view]);
  const [filter, setFilter] = useState('');
  const zoom = Math.max(0, findNode(tree, state.zoom));
  const diff = isDiffTree(tree);
  const table = (
    <FunctionTable
      rows={rows}
      unit={tree.sampleType.unit}
      total={diff ? tree.total[0] + tree.base[0] : tree.total[0]}
      baseTotal={diff ? tree.base[0] : undefined}
      selected={state.fn}
      onSelect={(fn) => navigate({ fn, search: exactMatch(fn), view: state.view === 'table' ? 'both' : state.view })}
      filter={filter}
      onFilterChange={setFilter}
    />
  );
  const flame = (
    <FlameGraph
      tree={tree}
      orientation={state.orientation}
      zoom={zoom}
      onZoom={(node) => navigate({ zoom: nodePath(tree, node) })}
      search={state.search}
      onFrameContext={(fn) => navigate({ fn, view: 'sandwich' })}
    />
  );
  switch (state.view) {
    case 'flame':
      return flame;
    case 'table':
      return table;
    case 'both':
      return (
        <div className={styles.split}>
          <div className={styles.side}>{table}</div>
          <div className={styles.main}>{flame}</div>
        </div>
      );
    case 'sandwich':
      return (
        <div className={styles.split}>
          <div className={styles.side}>{table}</div>
          <div className={styles.main}>
            {state.fn ? <Sandwich key={state.fn} tree={tree} fn={state.fn} search={state.search} /> : <p className={styles.hint}>Pick a function in the table to see its callers and callees.</p>}
          </div>
        </div>
      );
  }
}

/** One function's callers (a flame, growing up to the callers' callers) above its callees (an icicle). */
function Sandwich({ tree, fn, search }: { tree: FlameTree; fn: string; search: string }) {
  const { callers, callees } = useMemo(() => sandwich(tree, fn), [tree, fn]);
  const [callerZoom, setCallerZoom] = useState(0);
  const [calleeZoom, setCalleeZoom] = useState(0);
  if (callers.total[0] === 0 && callees.total[0] === 0 && !(callees.base?.[0] ?? 0)) {
    return <p className={styles.hint}>{fn} does not appear in this profile.</p>;
  }
  return (
    <div className={styles.sandwich} data-testid="sandwich">
      <h3 className={styles.heading}>Callers of {fn}</h3>
      <FlameGraph tree={callers} orientation="flame" zoom={callerZoom} onZoom={setCallerZoom} search={search} />
      <h3 className={styles.heading}>Callees of {fn}</h3>
      <FlameGraph tree={callees} orientation="icicle" zoom={calleeZoom} onZoom={setCalleeZoom} search={search} />
    </div>
  );
}

/** A search that matches exactly one function name (the search box takes regular expressions). */
function exactMatch(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

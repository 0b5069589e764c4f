'use client';
import { formatTime } from '../format';
import { SelectorEditor } from '../selector/SelectorEditor';
import type { Navigate } from './QueryPage';
import styles from './CompareBar.module.css';
import type { QueryState, Selection } from './url-state';

/**
 * Compare mode's bar: what A (the baseline) and B are, B's query (A's unless changed: then B gets a
 * timeline of its own), and the ways to swap them or leave.
 */
export function CompareBar({ state, navigate, queryError }: { state: QueryState; navigate: Navigate; queryError: string | null }) {
  const compare = state.compare!;
  const swap = () =>
    compare.b && state.selection && navigate({ query: compare.query, selection: compare.b, compare: { query: state.query, b: state.selection } });
  return (
    <div className={styles.bar} data-testid="compare-bar">
      <span className={styles.side}>
        <b className={styles.a}>A</b> {describe(state.selection)}
      </span>
      <span className={styles.arrow}>→</span>
      <span className={styles.side}>
        <b className={styles.b}>B</b> {compare.b ? describe(compare.b) : <em>pick a dot or drag a range on the timeline</em>}
      </span>
      <span className={styles.note}>The diff is B minus A: red grew, green shrank.</span>
      <span className={styles.spacer} />
      <div className={styles.queryB}>
        <span className={styles.label}>B&apos;s query</span>
        <SelectorEditor value={compare.query} onRun={(query) => navigate({ compare: { query: query || state.query, b: null } })} error={queryError} />
      </div>
      <button type="button" onClick={swap} disabled={!compare.b}>
        Swap A and B
      </button>
      <button type="button" data-testid="exit-compare" onClick={() => navigate({ compare: null })}>
        Exit compare
      </button>
    </div>
  );
}

function describe(selection: Selection | null): string {
  if (!selection) return 'nothing picked';
  if (selection.kind === 'single') return `${selection.series ?? 'profile'} at ${formatTime(selection.time)}`;
  return `merge of ${formatTime(selection.from)} – ${formatTime(selection.to)}`;
}

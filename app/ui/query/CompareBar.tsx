'use client';
import { formatTime } from '../format';
import type { Navigate } from './QueryPage';
import styles from './CompareBar.module.css';
import type { QueryState, Selection } from './url-state';

/** Compare mode's bar: what A (the baseline, pinned) and B are, and the ways to swap them or leave. */
export function CompareBar({ state, navigate }: { state: QueryState; navigate: Navigate }) {
  const compare = state.compare!;
  const swap = () => compare.b && state.selection && navigate({ selection: compare.b, compare: { ...compare, b: state.selection } });
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

'use client';
import { useEffect, useMemo, useRef } from 'react';
import { FLAME_GRAPH_NODE_FRACTION, isDiffTree } from '@/lib/flame/tree';
import type { FlameReport } from '@/lib/query/report';
import { formatQuantity } from '../format';
import { useApi } from '../use-api';
import { ErrorBanner, Loading, Warnings } from './Notices';
import styles from './ProfilePanel.module.css';
import { profileParams } from './profile-request';
import { ProfileToolbar } from './ProfileToolbar';
import { ProfileViews } from './ProfileViews';
import type { Navigate } from './QueryPage';
import type { QueryState } from './url-state';

/** The profile view: what the timeline picked (one profile, a merge, or a diff), as flame graph, table or sandwich. */
export function ProfilePanel({ state, navigate }: { state: QueryState; navigate: Navigate }) {
  const request = useMemo(() => profileParams(state), [state]);
  const params = useMemo(
    () => (request ? { ...request, report: 'flamegraph', sample_index: state.sampleType ?? undefined, node_fraction: FLAME_GRAPH_NODE_FRACTION } : null),
    [request, state.sampleType],
  );
  const { data, warnings, error, loading } = useApi<FlameReport>('/api/v1/query', params);
  // Marked while rendering, before the flame graph's effect draws it: the speed bench measures from here.
  useMemo(() => data && performance.mark('profd:flame-data', { detail: { nodes: data.name.length } }), [data]);
  const searchBox = useRef<HTMLInputElement>(null);
  useKeyboard(searchBox, () => navigate({ zoom: [], search: '' }, 'replace'));

  if (!request) {
    if (!state.compare) return null;
    return <p className={styles.hint}>Compare: side A is pinned. Click a dot or drag a range on the timeline to pick side B.</p>;
  }
  const tree = data;
  return (
    <section className={styles.panel} aria-busy={loading}>
      <ProfileToolbar state={state} navigate={navigate} request={request} report={data} searchBox={searchBox} />
      {error && <ErrorBanner message={error.message} />}
      <Warnings warnings={warnings} />
      {loading && <Loading what={state.selection?.kind === 'merge' || state.compare ? 'Merging profiles…' : 'Loading the profile…'} />}
      {tree && (
        <>
          <Summary report={tree} />
          <div className={loading ? styles.stale : undefined}>
            <ProfileViews state={state} navigate={navigate} tree={tree} />
          </div>
        </>
      )}
    </section>
  );
}

/** Where the profile came from (pprof's header lines: how many profiles were merged), its total and what was trimmed. */
function Summary({ report }: { report: FlameReport }) {
  const unit = report.sampleType.unit;
  const diff = isDiffTree(report);
  return (
    <div className={styles.summary} data-testid="profile-summary">
      {report.description.map((line) => (
        <span key={line}>{line}</span>
      ))}
      <span>
        {diff
          ? `Total: ${formatQuantity(report.base[0], unit)} → ${formatQuantity(report.total[0] + report.base[0], unit)}`
          : `Total: ${formatQuantity(report.total[0], unit)} ${report.sampleType.type}`}
      </span>
      {report.trimmedSubtrees > 0 && (
        <span className={styles.muted}>
          {report.trimmedSubtrees.toLocaleString('en-US')} subtrees under {FLAME_GRAPH_NODE_FRACTION * 100}% of the total hidden
        </span>
      )}
    </div>
  );
}

/** `/` focuses the search box; Esc clears it when it has focus, otherwise resets zoom and search. */
function useKeyboard(searchBox: React.RefObject<HTMLInputElement | null>, reset: () => void) {
  const resetRef = useRef(reset);
  useEffect(() => {
    resetRef.current = reset;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = !!target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
      if (event.key === '/' && !typing) {
        event.preventDefault();
        searchBox.current?.focus();
        searchBox.current?.select();
      } else if (event.key === 'Escape' && (!typing || target === searchBox.current)) {
        searchBox.current?.blur();
        resetRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [searchBox, resetRef]);
}

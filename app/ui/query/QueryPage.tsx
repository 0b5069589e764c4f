'use client';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { SelectorEditor } from '../selector/SelectorEditor';
import { TimeRangePicker } from '../timeline/TimeRangePicker';
import { CompareBar } from './CompareBar';
import { FirstRun } from './FirstRun';
import { ProfilePanel } from './ProfilePanel';
import styles from './QueryPage.module.css';
import { resolveRange } from './time-range';
import { TimelinePanel } from './TimelinePanel';
import { formatQueryState, parseQueryState, patchQueryState, type QueryState, type Selection } from './url-state';

/** How a change enters the history: `push` for a new view (back returns), `replace` for typing. */
export type Navigate = (patch: Partial<QueryState>, how?: 'push' | 'replace') => void;

/**
 * The query page: the selector and range on top, the timeline of matching profiles, and the profile
 * view of what is picked on it. All of it follows the URL, so the page is what the link says.
 */
export function QueryPage() {
  const params = useSearchParams();
  const router = useRouter();
  const state = useMemo(() => parseQueryState(new URLSearchParams(params.toString())), [params]);
  const [refresh, setRefresh] = useState(0);
  const [queryError, setQueryError] = useState<string | null>(null);
  const [queryErrorB, setQueryErrorB] = useState<string | null>(null);
  const editor = useRef<{ focus(): void } | null>(null);

  const navigate = useCallback<Navigate>(
    (patch, how = 'push') => {
      const url = `/${formatQueryState(patchQueryState(state, patch))}`;
      if (how === 'push') router.push(url, { scroll: false });
      else router.replace(url, { scroll: false });
    },
    [router, state],
  );

  // Relative ranges ("now-1h") are resolved when the range or the refresh count changes, not on every render.
  const range = useMemo(() => resolveRange(state.from, state.to, Date.now()), [state.from, state.to, refresh]);

  // With one query, compare mode pins side A and the timeline picks side B; with a query of its own,
  // side B gets its own timeline and each timeline picks its side.
  const separateB = state.compare !== null && state.compare.query !== state.query;
  const pickA = useCallback((selection: Selection) => navigate({ selection }), [navigate]);
  const pickB = useCallback((b: Selection) => state.compare && navigate({ compare: { ...state.compare, b } }), [navigate, state.compare]);
  const zoomTo = useCallback((from: number, to: number) => navigate({ from: String(Math.round(from)), to: String(Math.round(to)) }), [navigate]);

  useEffect(() => {
    const focusEditor = (event: KeyboardEvent) => {
      if (event.key === 'k' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        editor.current?.focus();
      }
    };
    window.addEventListener('keydown', focusEditor);
    return () => window.removeEventListener('keydown', focusEditor);
  }, []);

  return (
    <main className={styles.page}>
      <section className={styles.queryBar}>
        <div className={styles.editor}>
          <SelectorEditor
            value={state.query}
            onRun={(query) => {
              if (query === state.query) setRefresh((n) => n + 1);
              else navigate({ query, selection: null, compare: null });
            }}
            error={range.error ?? queryError}
            start={range.error === null ? range.fromMs : undefined}
            end={range.error === null ? range.toMs : undefined}
            editorRef={(view) => (editor.current = view)}
          />
        </div>
        <TimeRangePicker from={state.from} to={state.to} onChange={(from, to) => navigate({ from, to })} onRefresh={() => setRefresh((n) => n + 1)} />
      </section>
      {!state.query ? (
        <FirstRun onPick={(query) => navigate({ query })} />
      ) : range.error === null ? (
        <>
          <TimelinePanel
            query={state.query}
            fromMs={range.fromMs}
            toMs={range.toMs}
            refresh={refresh}
            selection={state.compare && !separateB ? state.compare.b : state.selection}
            baseline={state.compare && !separateB ? state.selection : null}
            onPick={state.compare && !separateB ? pickB : pickA}
            onZoom={zoomTo}
            onQueryError={setQueryError}
          />
          {state.compare && <CompareBar state={state} navigate={navigate} queryError={separateB ? queryErrorB : null} />}
          {state.compare && separateB && (
            <TimelinePanel
              query={state.compare.query}
              fromMs={range.fromMs}
              toMs={range.toMs}
              refresh={refresh}
              selection={state.compare.b}
              baseline={null}
              onPick={pickB}
              onZoom={zoomTo}
              onQueryError={setQueryErrorB}
              title="Timeline of B"
            />
          )}
          <ProfilePanel state={state} navigate={navigate} />
        </>
      ) : null}
    </main>
  );
}

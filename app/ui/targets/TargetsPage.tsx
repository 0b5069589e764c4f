'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { formatTime } from '../format';
import { ErrorBanner } from '../query/Notices';
import { DroppedTargets } from './DroppedTargets';
import { filterDropped, filterGroups, groupTargets, healthSummary, type TargetFilter, type TargetsData } from './target-groups';
import { TargetGroupSection } from './TargetGroupSection';
import styles from './TargetsPage.module.css';
import { TargetsSkeleton } from './TargetsSkeleton';
import { TargetsToolbar } from './TargetsToolbar';
import { formatTargetFilter, parseTargetFilter } from './url-state';
import { useNow } from './use-now';
import { usePolledApi } from './use-polled-api';

const REFRESH_MS = 10_000;
// Typing updates the rows at once; the URL follows after a pause, not on every key.
const URL_DELAY_MS = 300;

/**
 * What the worker scrapes and how it goes, per job, endpoint and profile type, read again every 10 s.
 * The filter lives in the URL so a link shows the same rows; what is folded lives in the page, keyed
 * by job, so it survives each read.
 */
export function TargetsPage() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const urlFilter = useMemo(() => parseTargetFilter(new URLSearchParams(params.toString())), [params]);
  const { data, error, loading, readAtMs, refresh } = usePolledApi<TargetsData>('/api/v1/targets', REFRESH_MS);
  const now = useNow(1000);
  const filterInput = useRef<HTMLInputElement>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [droppedExpanded, setDroppedExpanded] = useState(false);

  const writeUrl = useCallback((filter: TargetFilter) => router.replace(`${pathname}${formatTargetFilter(filter)}`, { scroll: false }), [router, pathname]);
  const [text, setText] = useDebouncedUrlText(urlFilter, writeUrl);
  const search = useDeferredValue(text);

  const groups = useMemo(() => (data ? groupTargets(data.activeTargets) : []), [data]);
  const shown = useMemo(() => filterGroups(groups, { text: search, unhealthyOnly: urlFilter.unhealthyOnly }), [groups, search, urlFilter.unhealthyOnly]);
  const dropped = useMemo(() => (data ? filterDropped(data.droppedTargets, search) : []), [data, search]);
  const summary = useMemo(() => (data ? healthSummary(groups.flatMap((g) => g.rows)) : null), [data, groups]);

  const toggleGroup = useCallback(
    (job: string) =>
      setCollapsed((before) => {
        const after = new Set(before);
        if (!after.delete(job)) after.add(job);
        return after;
      }),
    [],
  );

  useEffect(() => {
    const focusFilter = (event: KeyboardEvent) => {
      const typing = event.target instanceof Element && event.target.closest('input, textarea, select, [contenteditable="true"]');
      if (event.key !== '/' || typing || event.ctrlKey || event.metaKey || event.altKey) return;
      event.preventDefault();
      filterInput.current?.focus();
    };
    window.addEventListener('keydown', focusFilter);
    return () => window.removeEventListener('keydown', focusFilter);
  }, []);

  return (
    <main className={styles.page}>
      <TargetsToolbar
        text={text}
        onText={setText}
        unhealthyOnly={urlFilter.unhealthyOnly}
        onUnhealthyOnly={(on) => writeUrl({ text, unhealthyOnly: on })}
        summary={summary}
        readAtMs={readAtMs}
        loading={loading}
        onRefresh={refresh}
        now={now}
        filterRef={filterInput}
      />
      {error && (
        <ErrorBanner
          message={`Cannot read the targets from /api/v1/targets: ${error.message}${readAtMs === null ? '' : ` (showing the targets as of ${formatTime(readAtMs)})`}`}
        />
      )}
      {data === null ? (
        loading && <TargetsSkeleton />
      ) : data.activeTargets.length === 0 ? (
        <NoTargets anyDropped={data.droppedTargets.length > 0} />
      ) : shown.length === 0 ? (
        <p className={styles.notice} data-testid="targets-no-match">
          {noMatch(search, urlFilter.unhealthyOnly)}{' '}
          <button
            type="button"
            onClick={() => {
              setText('');
              writeUrl({ text: '', unhealthyOnly: false });
            }}
          >
            Show all
          </button>
        </p>
      ) : (
        shown.map((group) => <TargetGroupSection key={group.job} group={group} expanded={!collapsed.has(group.job)} onToggle={toggleGroup} now={now} />)
      )}
      {data !== null && data.droppedTargets.length > 0 && (
        <DroppedTargets targets={dropped} total={data.droppedTargets.length} expanded={droppedExpanded} onToggle={() => setDroppedExpanded((open) => !open)} />
      )}
    </main>
  );
}

function noMatch(text: string, unhealthyOnly: boolean): string {
  if (!text.trim()) return 'Every endpoint is up.';
  return `No endpoint${unhealthyOnly ? ' that is unhealthy' : ''} has labels, a URL or an error matching “${text.trim()}”.`;
}

function NoTargets({ anyDropped }: { anyDropped: boolean }) {
  return (
    <div className={styles.notice} data-testid="targets-empty">
      {anyDropped ? (
        <p>No active targets: relabeling dropped every target the worker discovered (see the dropped targets below).</p>
      ) : (
        <>
          <p>
            The worker has not reported any targets yet — is it running? <code>npm start</code> runs it.
          </p>
          <p>
            It scrapes what its config lists (<code>PROFD_CONFIG</code>); <a href="/api/v1/status/config">/api/v1/status/config</a> shows the
            config it runs.
          </p>
        </>
      )}
    </div>
  );
}

/**
 * The filter box's text: the URL's, until the user types; then the typed text, written to the URL once
 * typing pauses. A change of the URL from elsewhere (a link, back/forward) replaces the text.
 */
function useDebouncedUrlText(urlFilter: TargetFilter, writeUrl: (filter: TargetFilter) => void): [string, (text: string) => void] {
  const [text, setText] = useState(urlFilter.text);
  const inUrl = useRef(urlFilter.text);
  useEffect(() => {
    if (urlFilter.text === inUrl.current) return;
    inUrl.current = urlFilter.text;
    setText(urlFilter.text);
  }, [urlFilter.text]);
  useEffect(() => {
    if (text === inUrl.current) return;
    const timer = setTimeout(() => {
      inUrl.current = text;
      writeUrl({ text, unhealthyOnly: urlFilter.unhealthyOnly });
    }, URL_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, urlFilter.unhealthyOnly, writeUrl]);
  return [text, setText];
}

'use client';
import Link from 'next/link';
import { useEffect, useMemo } from 'react';
import { formatSeries } from '@/lib/query/labelset';
import { parseSelector } from '@/lib/selector/parse';
import type { RangeSeries } from '@/lib/query/range';
import { formatCount, formatTime } from '../format';
import { Timeline, type TimelineSelection } from '../timeline/Timeline';
import { useApi } from '../use-api';
import { ErrorBanner, Loading, Warnings } from './Notices';
import styles from './TimelinePanel.module.css';
import type { Selection } from './url-state';

interface Props {
  query: string;
  fromMs: number;
  toMs: number;
  refresh: number;
  selection: Selection | null;
  baseline: Selection | null;
  onPick(selection: Selection): void;
  onZoom(from: number, to: number): void;
  /** The API's complaint about the selector (shown under the editor), or null once it is accepted. */
  onQueryError(message: string | null): void;
  title?: string;
}

/** The timeline of every profile the query matches in the range: the way to pick one or a range. */
export function TimelinePanel({ query, fromMs, toMs, refresh, selection, baseline, onPick, onZoom, onQueryError, title = 'Timeline' }: Props) {
  const params = useMemo(() => ({ query, from: fromMs, to: toMs }), [query, fromMs, toMs]);
  const { data, warnings, error, loading } = useApi<RangeSeries[]>('/api/v1/query_range', params, refresh);
  const queryError = error?.errorType === 'bad_data' ? error.message : null;
  useEffect(() => onQueryError(queryError), [queryError, onQueryError]);

  const profiles = data?.reduce((n, s) => n + s.timestamps.length, 0) ?? 0;
  return (
    <section className={styles.panel} aria-busy={loading} aria-label={title}>
      <header className={styles.header}>
        <span className={styles.title}>{title}</span>
        {data && (
          <span className={styles.meta}>
            {formatCount(profiles)} profiles in {formatCount(data.length)} series · {formatTime(fromMs)} – {formatTime(toMs)}
          </span>
        )}
        {loading && <Loading what="Loading profiles…" />}
      </header>
      {error && !queryError && <ErrorBanner message={error.message} />}
      <Warnings warnings={warnings} />
      {data && data.length === 0 && (
        <p className={styles.empty} data-testid="timeline-empty">
          No profile matches <code>{query}</code> in this range. Widen the range, check the selector, or see whether the{' '}
          <Link href="/targets">targets</Link> are up.
        </p>
      )}
      {data && data.length > 0 && (
        <>
          <Timeline
            series={data}
            from={fromMs}
            to={toMs}
            selection={toTimeline(selection)}
            baseline={toTimeline(baseline)}
            onPickProfile={(labels, time) => onPick({ kind: 'single', time, series: formatSeries(labels) })}
            onBrush={(from, to) => onPick({ kind: 'merge', from: Math.floor(from), to: Math.ceil(to) })}
            onZoom={onZoom}
          />
          {!selection && !baseline && <p className={styles.hint}>Click a dot to open that profile, or drag across the timeline to merge a range.</p>}
        </>
      )}
    </section>
  );
}

function toTimeline(selection: Selection | null): TimelineSelection | null {
  if (!selection) return null;
  if (selection.kind === 'merge') return { kind: 'range', from: selection.from, to: selection.to };
  return { kind: 'single', time: selection.time, labels: selection.series ? seriesLabels(selection.series) : undefined };
}

/** The labels of a picked dot's exact selector, so only that series' dot is ringed; none when it is not one. */
function seriesLabels(series: string): Record<string, string> | undefined {
  try {
    const matchers = parseSelector(series);
    if (matchers.some((m) => m.type !== '=')) return undefined;
    return Object.fromEntries(matchers.map((m) => [m.name, m.value]));
  } catch {
    return undefined;
  }
}

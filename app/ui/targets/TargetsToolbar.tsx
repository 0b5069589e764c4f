import type { RefObject } from 'react';
import { formatAgo, formatTime } from '../format';
import type { HealthSummary } from './target-groups';
import styles from './TargetsToolbar.module.css';

interface TargetsToolbarProps {
  readonly text: string;
  onText(text: string): void;
  readonly unhealthyOnly: boolean;
  onUnhealthyOnly(on: boolean): void;
  /** Of every endpoint, whatever the filter shows. */
  readonly summary: HealthSummary | null;
  readonly readAtMs: number | null;
  readonly loading: boolean;
  onRefresh(): void;
  readonly now: number;
  readonly filterRef: RefObject<HTMLInputElement | null>;
}

/** The filter, the unhealthy-only switch, the overall count, and when the page last read the targets. */
export function TargetsToolbar(props: TargetsToolbarProps) {
  const { summary, readAtMs } = props;
  return (
    <div className={styles.toolbar}>
      <input
        ref={props.filterRef}
        type="search"
        className={styles.filter}
        placeholder="Filter by label, URL or error  ( / )"
        aria-label="Filter targets by label, URL or error"
        value={props.text}
        onChange={(event) => props.onText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') props.onText('');
        }}
        data-testid="targets-filter"
        spellCheck={false}
      />
      <label className={styles.toggle}>
        <input type="checkbox" checked={props.unhealthyOnly} onChange={(event) => props.onUnhealthyOnly(event.target.checked)} data-testid="targets-unhealthy" />
        Only unhealthy
      </label>
      {summary && (
        <span className={styles.summary} data-all-up={summary.up === summary.total} data-testid="targets-summary">
          {summary.up}/{summary.total} endpoints up
        </span>
      )}
      <span className={styles.spacer} />
      {readAtMs !== null && (
        <span className={styles.readAt} title={`Read at ${formatTime(readAtMs)}`} aria-busy={props.loading} data-testid="targets-read-at">
          refreshed {formatAgo(readAtMs, props.now)}
        </span>
      )}
      <button type="button" onClick={props.onRefresh} title="Read the targets again (every 10 s on its own)" data-testid="targets-refresh">
        Refresh
      </button>
    </div>
  );
}

'use client';
import { useEffect, useState, type RefObject } from 'react';
import type { FlameReport } from '@/lib/query/report';
import { apiUrl, type ApiParams } from '../api-client';
import { curlCommand } from './profile-request';
import type { Navigate } from './QueryPage';
import styles from './ProfileToolbar.module.css';
import { VIEWS, type QueryState, type View } from './url-state';

const VIEW_LABELS: Record<View, string> = { flame: 'Flame graph', table: 'Table', both: 'Both', sandwich: 'Sandwich' };

interface Props {
  state: QueryState;
  navigate: Navigate;
  request: ApiParams;
  report: FlameReport | null;
  searchBox: RefObject<HTMLInputElement | null>;
}

/** The profile view's controls: sample type, view, orientation, search, and the ways to take the view elsewhere. */
export function ProfileToolbar({ state, navigate, request, report, searchBox }: Props) {
  const sampleTypes = report?.sampleTypes ?? [];
  const proto = apiUrl('/api/v1/query', { ...request, report: 'proto' });
  return (
    <div className={styles.toolbar}>
      {sampleTypes.length > 1 && (
        <select
          aria-label="Sample type"
          data-testid="sample-type"
          value={state.sampleType ?? report?.defaultSampleType ?? ''}
          onChange={(e) => navigate({ sampleType: e.target.value === report?.defaultSampleType ? null : e.target.value })}
        >
          {sampleTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      )}
      <div className={styles.group} role="group" aria-label="View">
        {VIEWS.map((view) => (
          <button key={view} type="button" data-testid={`view-${view}`} aria-pressed={state.view === view} onClick={() => navigate({ view })}>
            {VIEW_LABELS[view]}
          </button>
        ))}
      </div>
      <div className={styles.group} role="group" aria-label="Orientation">
        {(['icicle', 'flame'] as const).map((orientation) => (
          <button key={orientation} type="button" aria-pressed={state.orientation === orientation} onClick={() => navigate({ orientation }, 'replace')}>
            {orientation === 'icicle' ? 'Icicle' : 'Flame'}
          </button>
        ))}
      </div>
      <SearchBox value={state.search} inputRef={searchBox} onChange={(search) => navigate({ search }, 'replace')} />
      <button type="button" data-testid="reset" title="Reset zoom and search (Esc)" onClick={() => navigate({ zoom: [], search: '' })}>
        Reset
      </button>
      <span className={styles.spacer} />
      {!state.compare ? (
        <button type="button" data-testid="compare" title="Pin this selection as A and pick B to compare" onClick={() => navigate({ compare: { query: state.query, b: null } })}>
          Compare…
        </button>
      ) : null}
      <a className={styles.button} href={proto} download="profile.pb.gz" data-testid="download">
        Download pprof
      </a>
      <CopyButton label="Copy curl" testId="copy-curl" text={() => curlCommand(new URL(proto, window.location.href).href)} />
      <CopyButton label="Copy link" testId="copy-link" text={() => window.location.href} />
    </div>
  );
}

/** Copies text to the clipboard and says so; where the clipboard is refused (plain http), shows the text to copy by hand. */
function CopyButton({ label, testId, text }: { label: string; testId: string; text: () => string }) {
  const [done, setDone] = useState<string | null>(null);
  const copy = async () => {
    const value = text();
    try {
      await navigator.clipboard.writeText(value);
      setDone('Copied');
    } catch {
      window.prompt('Copy this:', value);
      setDone(null);
    }
    setTimeout(() => setDone(null), 1500);
  };
  return (
    <button type="button" data-testid={testId} onClick={copy}>
      {done ?? label}
    </button>
  );
}

/**
 * The frame search, typed into local state and written to the URL a moment after typing stops: the
 * URL updates asynchronously, and an input bound to it directly would lose keystrokes.
 */
function SearchBox({ value, inputRef, onChange }: { value: string; inputRef: RefObject<HTMLInputElement | null>; onChange(text: string): void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onChange(text), 150);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <input
      ref={inputRef}
      className={styles.search}
      type="search"
      placeholder="Search frames (/)"
      aria-label="Search frames"
      data-testid="flame-search"
      value={text}
      onChange={(e) => setText(e.target.value)}
    />
  );
}

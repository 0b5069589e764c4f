'use client';
import { useEffect, useState, type FormEvent } from 'react';
import { formatDuration } from '@/lib/time/duration';
import { formatTime } from '../format';
import { resolveRange } from '../query/time-range';
import { absoluteRange, currentPreset, presetRange, RANGE_PRESETS, toLocalInput } from './range-presets';
import styles from './TimeRangePicker.module.css';

export interface TimeRangePickerProps {
  /** As in the URL: `now-1h`, Unix ms or RFC 3339. */
  from: string;
  to: string;
  onChange(from: string, to: string): void;
  onRefresh(): void;
}

/** Presets for the usual "last hour", an absolute form for an incident's window, and refresh. */
export function TimeRangePicker({ from, to, onChange, onRefresh }: TimeRangePickerProps) {
  // "now" is read after mounting (and on refresh), so the server's render and the browser's agree.
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => setNow(Date.now()), [from, to]);
  const [form, setForm] = useState<{ from: string; to: string; error: string | null } | null>(null);

  const preset = currentPreset(from, to);
  const resolved = now === null ? null : resolveRange(from, to, now);

  function openForm() {
    const range = resolved && resolved.error === null ? resolved : { fromMs: Date.now() - 3600_000, toMs: Date.now() };
    setForm({ from: toLocalInput(range.fromMs), to: toLocalInput(range.toMs), error: null });
  }

  function apply(event: FormEvent) {
    event.preventDefault();
    if (!form) return;
    const range = absoluteRange(form.from, form.to);
    if ('error' in range) return setForm({ ...form, error: range.error });
    setForm(null);
    onChange(range.from, range.to);
  }

  return (
    <div className={styles.picker}>
      <div className={styles.row}>
        <div className={styles.presets} role="group" aria-label="Time range presets">
          {RANGE_PRESETS.map((p) => (
            <button
              key={p}
              type="button"
              data-testid="range-preset"
              aria-pressed={p === preset}
              title={`The last ${p}`}
              onClick={() => onChange(presetRange(p).from, presetRange(p).to)}
            >
              {p}
            </button>
          ))}
        </div>
        <button type="button" aria-expanded={form !== null} aria-pressed={preset === null} onClick={() => (form ? setForm(null) : openForm())} title={preset === null ? `${from} to ${to}` : 'Pick a start and an end'}>
          Absolute…
        </button>
        <button
          type="button"
          data-testid="refresh"
          title="Load again (a relative range moves to now)"
          onClick={() => {
            setNow(Date.now());
            onRefresh();
          }}
        >
          ↻ Refresh
        </button>
      </div>
      <div className={styles.resolved} data-testid="resolved-range">
        {resolved?.error === null && (
          <>
            {formatTime(resolved.fromMs)} – {formatTime(resolved.toMs)} <span className={styles.span}>({formatDuration(resolved.toMs - resolved.fromMs)})</span>
          </>
        )}
        {resolved && resolved.error !== null && (
          <span className={styles.error} role="alert">
            Time range: {resolved.error}
          </span>
        )}
      </div>
      {form && (
        <form className={styles.form} onSubmit={apply} onKeyDown={(event) => event.key === 'Escape' && setForm(null)} aria-label="Absolute time range">
          <label>
            From
            <input type="datetime-local" step={1} value={form.from} onChange={(event) => setForm({ ...form, from: event.target.value, error: null })} autoFocus />
          </label>
          <label>
            To
            <input type="datetime-local" step={1} value={form.to} onChange={(event) => setForm({ ...form, to: event.target.value, error: null })} />
          </label>
          <span className={styles.zone}>local time ({Intl.DateTimeFormat().resolvedOptions().timeZone})</span>
          {form.error && (
            <p className={styles.error} role="alert" data-testid="range-error">
              {form.error}
            </p>
          )}
          <div className={styles.formActions}>
            <button type="submit">Apply</button>
            <button type="button" onClick={() => setForm(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

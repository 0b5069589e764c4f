'use client';
import { useCallback, useEffect, useState } from 'react';
import { asApiClientError, getJson, isAbort, type ApiClientError } from '../api-client';

/** A polled API read: the last good answer stays while a later read fails, so the page keeps its rows. */
export interface PolledState<T> {
  readonly data: T | null;
  /** The last read's failure; null once a read succeeds again. */
  readonly error: ApiClientError | null;
  readonly loading: boolean;
  /** When `data` was read, in ms. */
  readonly readAtMs: number | null;
}

/**
 * Reads `path` now, then `intervalMs` after each answer, and at once on `refresh()`. Reads wait while
 * the tab is hidden (nobody is looking) and resume when it is shown again.
 */
export function usePolledApi<T>(path: string, intervalMs: number): PolledState<T> & { refresh(): void } {
  const [state, setState] = useState<PolledState<T>>({ data: null, error: null, loading: true, readAtMs: null });
  const [round, setRound] = useState(0);
  const refresh = useCallback(() => setRound((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const next = () => setRound((n) => n + 1);
    const nextWhenShown = () => {
      if (document.visibilityState === 'visible') next();
    };
    setState((s) => ({ ...s, loading: true }));
    getJson<T>(path, {}, controller.signal).then(
      (result) => setState({ data: result.data, error: null, loading: false, readAtMs: Date.now() }),
      (err: unknown) => {
        if (isAbort(err)) return;
        setState((s) => ({ ...s, error: asApiClientError(err), loading: false }));
      },
    ).finally(() => {
      if (controller.signal.aborted) return;
      timer = setTimeout(() => {
        if (document.visibilityState === 'visible') next();
        else document.addEventListener('visibilitychange', nextWhenShown);
      }, intervalMs);
    });
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', nextWhenShown);
    };
  }, [path, intervalMs, round]);

  return { ...state, refresh };
}

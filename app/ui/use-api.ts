'use client';
import { useEffect, useState } from 'react';
import { asApiClientError, getJson, isAbort, type ApiClientError, type ApiParams } from './api-client';

/** The state of one API read: the last answer stays shown (dimmed by the caller) while a new one loads. */
export interface ApiState<T> {
  readonly data: T | null;
  readonly warnings: readonly string[];
  readonly error: ApiClientError | null;
  readonly loading: boolean;
}

/**
 * Reads `path` with `params` (nothing while params is null) and again whenever the request changes or
 * `refresh` does. A newer request aborts the one in flight, so a slow answer never replaces a newer one.
 */
export function useApi<T>(path: string, params: ApiParams | null, refresh: unknown = 0): ApiState<T> {
  const [state, setState] = useState<ApiState<T>>({ data: null, warnings: [], error: null, loading: params !== null });
  const key = params === null ? null : JSON.stringify([path, params]);
  useEffect(() => {
    if (key === null) {
      setState({ data: null, warnings: [], error: null, loading: false });
      return;
    }
    const [url, query] = JSON.parse(key) as [string, ApiParams];
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    getJson<T>(url, query, controller.signal).then(
      (result) => setState({ data: result.data, warnings: result.warnings, error: null, loading: false }),
      (err: unknown) => {
        if (isAbort(err)) return;
        setState({ data: null, warnings: [], error: asApiClientError(err), loading: false });
      },
    );
    return () => controller.abort();
  }, [key, refresh]);
  return state;
}

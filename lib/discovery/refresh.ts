import type { DiscoveryErrorHandler, TargetGroup } from './target-group';

/** Options of a refresh loop: what to call, how often, and where results and errors go. */
export interface RefreshLoopOptions {
  readonly intervalMs: number;
  readonly refresh: (signal: AbortSignal) => Promise<TargetGroup[]>;
  readonly onGroups: (groups: TargetGroup[]) => void;
  readonly onError: DiscoveryErrorHandler;
  /** Resolves early when something (a file watch) says a refresh is due; called once per wait. */
  readonly wakeUp?: (signal: AbortSignal) => Promise<void>;
}

/**
 * Prometheus' refresh.Discovery: refresh now, then every interval (or when woken), until aborted.
 * A failed refresh is reported and emits nothing, so the last good groups stay in force.
 */
export async function runRefreshLoop(signal: AbortSignal, options: RefreshLoopOptions): Promise<void> {
  while (!signal.aborted) {
    try {
      const groups = await options.refresh(signal);
      if (!signal.aborted) options.onGroups(groups);
    } catch (err) {
      if (!signal.aborted) options.onError(err as Error);
    }
    await waitForNextRefresh(signal, options);
  }
}

function waitForNextRefresh(signal: AbortSignal, options: RefreshLoopOptions): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  const local = new AbortController();
  const stop = () => local.abort();
  signal.addEventListener('abort', stop, { once: true });
  return new Promise<void>((resolve) => {
    const timer = setTimeout(stop, options.intervalMs);
    local.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
      resolve();
    }, { once: true });
    options.wakeUp?.(local.signal).then(stop, stop);
  });
}

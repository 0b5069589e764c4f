/**
 * The API reads behind selector completion: which route answers a completion, and a short-lived cache
 * so that typing through a label does not ask profd again for every key stroke.
 */
import type { SelectorCompletion } from '@/lib/selector/completion';
import { apiUrl, type ApiParams } from '../api-client';

/** A metadata read: the path and its parameters. */
export interface LookupRequest {
  readonly path: string;
  readonly params: ApiParams;
}

/** The time range in view, Unix ms; either end may be unknown. */
export interface LookupRange {
  readonly start?: number;
  readonly end?: number;
}

const MINUTE_MS = 60_000;

/**
 * The read answering `context`: profile types are `__name__` values. The range is widened to whole
 * minutes so that a relative range re-resolved a few seconds later still hits the cache.
 */
export function lookupRequest(context: SelectorCompletion, range: LookupRange): LookupRequest {
  const params: ApiParams = {
    'match[]': context.scope === '' ? undefined : [context.scope],
    start: range.start === undefined ? undefined : Math.floor(range.start / MINUTE_MS) * MINUTE_MS,
    end: range.end === undefined ? undefined : Math.ceil(range.end / MINUTE_MS) * MINUTE_MS,
  };
  if (context.kind === 'labelName') return { path: '/api/v1/labels', params };
  const label = context.kind === 'metric' ? '__name__' : context.label;
  return { path: `/api/v1/label/${encodeURIComponent(label)}/values`, params };
}

/** Reads one request; rejects when `signal` aborts. */
export type LookupFetcher = (request: LookupRequest, signal: AbortSignal) => Promise<readonly string[]>;

interface Entry {
  readonly expires: number;
  values?: readonly string[];
  pending?: { readonly promise: Promise<readonly string[]>; readonly controller: AbortController; waiters: number };
}

/**
 * Answers are kept for `ttlMs` per URL. Callers asking for the same URL while it loads share one
 * request, which is aborted once every caller has given up on it (the editor gives up on a completion
 * as soon as the text changes), so a stale lookup never keeps the server busy.
 */
export class LookupCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly fetcher: LookupFetcher,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(request: LookupRequest, signal: AbortSignal): Promise<readonly string[]> {
    if (signal.aborted) return Promise.reject(abortError());
    const key = apiUrl(request.path, request.params);
    const entry = this.fresh(key) ?? this.start(key, request);
    if (entry.values !== undefined) return Promise.resolve(entry.values);
    const pending = entry.pending!;
    pending.waiters++;
    return new Promise((resolve, reject) => {
      const leave = () => {
        reject(abortError());
        pending.waiters--;
        if (pending.waiters === 0) {
          pending.controller.abort();
          if (this.entries.get(key) === entry) this.entries.delete(key);
        }
      };
      signal.addEventListener('abort', leave, { once: true });
      pending.promise.then(
        (values) => {
          signal.removeEventListener('abort', leave);
          resolve(values);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', leave);
          reject(err);
        },
      );
    });
  }

  private fresh(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.values === undefined || entry.expires > this.now()) return entry;
    this.entries.delete(key);
    return undefined;
  }

  private start(key: string, request: LookupRequest): Entry {
    this.dropExpired();
    const controller = new AbortController();
    const entry: Entry = { expires: Number.POSITIVE_INFINITY };
    const promise = this.fetcher(request, controller.signal).then(
      (values) => {
        if (this.entries.get(key) === entry) this.entries.set(key, { expires: this.now() + this.ttlMs, values });
        return values;
      },
      (err: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw err;
      },
    );
    // Callers that gave up leave this promise unobserved; its failure is theirs to ignore, not the page's.
    promise.catch(() => undefined);
    entry.pending = { promise, controller, waiters: 0 };
    this.entries.set(key, entry);
    return entry;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.values !== undefined && entry.expires <= now) this.entries.delete(key);
  }
}

function abortError(): DOMException {
  return new DOMException('the completion was replaced by a newer one', 'AbortError');
}

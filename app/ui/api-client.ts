/**
 * The browser's way to the HTTP API: the UI reads everything through `/api/v1`, never the database.
 * Each call resolves to the envelope's `data` and `warnings`, or rejects with an ApiClientError that
 * carries the API's own message, ready to show under the control that asked.
 */

/** A failed API call: the API's message (or what went wrong on the way) and its errorType. */
export class ApiClientError extends Error {
  constructor(
    message: string,
    readonly errorType: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiClientError';
  }
}

/** A successful JSON answer. */
export interface ApiResult<T> {
  readonly data: T;
  readonly warnings: readonly string[];
}

/** Query parameters; arrays repeat the name (`match[]`), undefined values are left out. */
export type ApiParams = Record<string, string | number | readonly string[] | undefined>;

/** The URL of an API path with its parameters, relative to the page's origin. */
export function apiUrl(path: string, params: ApiParams = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) search.append(name, v);
    else search.set(name, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** GETs a JSON API route and unwraps Prometheus' envelope. */
export async function getJson<T>(path: string, params: ApiParams = {}, signal?: AbortSignal): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path, params), { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiClientError(`cannot reach profd: ${(err as Error).message}`, 'network', 0);
  }
  let body: { status?: string; data?: T; warnings?: string[]; error?: string; errorType?: string };
  try {
    body = await response.json();
  } catch {
    throw new ApiClientError(`profd answered ${response.status} ${response.statusText} without a JSON body`, 'internal', response.status);
  }
  if (!response.ok || body.status !== 'success') {
    throw new ApiClientError(body.error ?? `profd answered ${response.status}`, body.errorType ?? 'internal', response.status);
  }
  return { data: body.data as T, warnings: body.warnings ?? [] };
}

/** Any rejection as an ApiClientError, so every caller shows failures the same way. */
export function asApiClientError(err: unknown): ApiClientError {
  return err instanceof ApiClientError ? err : new ApiClientError(String(err), 'internal', 0);
}

/** True for the rejection of a request that was aborted because a newer one replaced it. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

import { describe, expect, it } from 'vitest';
import { LookupCache, lookupRequest, type LookupRequest } from '../../../app/ui/selector/label-lookup';
import { completionContext } from '../../../lib/selector/completion';

function contextAt(marked: string) {
  const cursor = marked.indexOf('|');
  const context = completionContext(marked.slice(0, cursor) + marked.slice(cursor + 1), cursor);
  if (context === null) throw new Error(`nothing to complete in ${marked}`);
  return context;
}

describe('lookupRequest', () => {
  it('reads profile types as __name__ values, scoped by the matchers in the braces', () => {
    expect(lookupRequest(contextAt('he|{job="api"}'), {})).toEqual({
      path: '/api/v1/label/__name__/values',
      params: { 'match[]': ['{job="api"}'], start: undefined, end: undefined },
    });
  });

  it('reads label names without match[] when nothing scopes them', () => {
    expect(lookupRequest(contextAt('{|'), {}).path).toBe('/api/v1/labels');
    expect(lookupRequest(contextAt('{|'), {}).params['match[]']).toBeUndefined();
  });

  it('reads the values of the label being matched, its name escaped in the path', () => {
    expect(lookupRequest(contextAt('heap{job="a", env=~"|'), {})).toMatchObject({
      path: '/api/v1/label/env/values',
      params: { 'match[]': ['heap{job="a"}'] },
    });
    expect(lookupRequest(contextAt('{"a/b"=|'), {}).path).toBe('/api/v1/label/a%2Fb/values');
  });

  it('widens the range to whole minutes so a re-resolved relative range hits the cache', () => {
    const { params } = lookupRequest(contextAt('|'), { start: 1_764_036_845_123, end: 1_764_040_401_000 });
    expect(params.start).toBe(1_764_036_840_000);
    expect(params.end).toBe(1_764_040_440_000);
  });
});

interface Call {
  readonly request: LookupRequest;
  readonly signal: AbortSignal;
  resolve(values: string[]): void;
  reject(err: Error): void;
}

function fakeFetcher() {
  const calls: Call[] = [];
  const fetcher = (request: LookupRequest, signal: AbortSignal) =>
    new Promise<readonly string[]>((resolve, reject) => calls.push({ request, signal, resolve, reject }));
  return { calls, fetcher };
}

const REQUEST: LookupRequest = { path: '/api/v1/labels', params: { 'match[]': ['heap'] } };
const OTHER: LookupRequest = { path: '/api/v1/labels', params: { 'match[]': ['cpu'] } };

describe('LookupCache', () => {
  it('answers the same URL from the cache until the answer is 30 s old', async () => {
    let now = 0;
    const { calls, fetcher } = fakeFetcher();
    const cache = new LookupCache(fetcher, 30_000, () => now);
    const first = cache.get(REQUEST, new AbortController().signal);
    calls[0].resolve(['job']);
    expect(await first).toEqual(['job']);
    now = 29_000;
    expect(await cache.get(REQUEST, new AbortController().signal)).toEqual(['job']);
    expect(calls).toHaveLength(1);
    now = 31_000;
    const later = cache.get(REQUEST, new AbortController().signal);
    expect(calls).toHaveLength(2);
    calls[1].resolve(['job', 'env']);
    expect(await later).toEqual(['job', 'env']);
  });

  it('keeps answers per URL', async () => {
    const { calls, fetcher } = fakeFetcher();
    const cache = new LookupCache(fetcher);
    const heap = cache.get(REQUEST, new AbortController().signal);
    const cpu = cache.get(OTHER, new AbortController().signal);
    calls[0].resolve(['job']);
    calls[1].resolve(['pid']);
    expect([await heap, await cpu]).toEqual([['job'], ['pid']]);
  });

  it('shares a request in flight, and aborts it only when every caller has given up', async () => {
    const { calls, fetcher } = fakeFetcher();
    const cache = new LookupCache(fetcher);
    const first = new AbortController();
    const second = new AbortController();
    const a = cache.get(REQUEST, first.signal);
    const b = cache.get(REQUEST, second.signal);
    expect(calls).toHaveLength(1);
    first.abort();
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls[0].signal.aborted).toBe(false);
    second.abort();
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls[0].signal.aborted).toBe(true);
    // An abandoned request is not the answer for the next caller.
    void cache.get(REQUEST, new AbortController().signal);
    expect(calls).toHaveLength(2);
  });

  it('does not keep a failure', async () => {
    const { calls, fetcher } = fakeFetcher();
    const cache = new LookupCache(fetcher);
    const failed = cache.get(REQUEST, new AbortController().signal);
    calls[0].reject(new Error('profd answered 503'));
    await expect(failed).rejects.toThrow('503');
    const retried = cache.get(REQUEST, new AbortController().signal);
    calls[1].resolve(['job']);
    expect(await retried).toEqual(['job']);
  });

  it('refuses at once for a caller that already gave up', async () => {
    const { calls, fetcher } = fakeFetcher();
    const controller = new AbortController();
    controller.abort();
    await expect(new LookupCache(fetcher).get(REQUEST, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toHaveLength(0);
  });
});

import { apiRoute, ingestParams, parseSearchParams, readBody, requireBody, success } from '@/lib/api';
import { appDb, foldedItem, ingestProfile, queryLimits } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** Stores one pushed profile, pprof or folded stacks, under the label set `series`. */
export const POST = apiRoute(async (request) => {
  const { maxProfileBytes } = queryLimits();
  const p = parseSearchParams(new URL(request.url).searchParams, ingestParams(Date.now()));
  const body = requireBody(await readBody(request, maxProfileBytes), p.format === 'folded' ? 'folded stacks' : 'a pprof profile');
  const item = p.format === 'folded' ? foldedItem(body, p.folded) : { blob: body };
  const stored = await ingestProfile(appDb(), { labels: p.labels, timestampMs: p.timestampMs, ...item }, maxProfileBytes);
  return success({ series: stored.series, timestamp: stored.timestamp }, stored.warnings);
});

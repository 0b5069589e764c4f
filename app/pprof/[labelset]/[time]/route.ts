import { apiRoute, conprofLinkParams, parseSearchParams } from '@/lib/api';
import { formatSeries } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** Conprof's link to one profile in its UI: redirects to profd's single-profile view, `/?query=<selector>&time=<ms>`. */
export const GET = apiRoute(async (_request, context: { params: Promise<{ labelset: string; time: string }> }) => {
  const { labels, timeMs } = parseSearchParams(new URLSearchParams(await context.params), conprofLinkParams);
  const view = new URLSearchParams({ query: formatSeries(labels), time: String(timeMs) });
  return new Response(null, { status: 302, headers: { location: `/?${view}` } });
});

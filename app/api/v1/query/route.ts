import { apiRoute, parseQueryRequest, reportResponse } from '@/lib/api';
import { appDb, loadProfile, mergeBudget, queryLimits, renderReport } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** One profile, a merged range or a diff, rendered as the report asked for (Conprof's query). */
export const GET = apiRoute(async (request) => {
  const limits = queryLimits();
  const asked = parseQueryRequest(new URL(request.url).searchParams, { now: Date.now(), maxWindowMs: limits.maxRangeMs });
  const loaded = await loadProfile(appDb(), asked.query, mergeBudget(limits, request.signal));
  return reportResponse(await renderReport(loaded, asked.report, asked), loaded.warnings);
});

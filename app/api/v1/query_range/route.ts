import { apiRoute, parseSearchParams, rangeParams, rangeResponse } from '@/lib/api';
import { appDb, queryLimits, queryRange } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** When each matching series has a profile in the range, with the total of one sample type (Conprof's query_range). */
export const GET = apiRoute(async (request) => {
  const query = parseSearchParams(new URL(request.url).searchParams, rangeParams(Date.now(), queryLimits()));
  const { series, warnings } = await queryRange(appDb(), query);
  return rangeResponse(series, warnings);
});

import { apiRoute, metadataParams, parseSearchParams, success } from '@/lib/api';
import { appDb, findSeries, queryLimits } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** The label sets of the series matching any `match[]` selector (Prometheus' series). */
export const GET = apiRoute(async (request) => {
  const query = parseSearchParams(new URL(request.url).searchParams, metadataParams(Date.now(), true));
  const { series, warnings } = await findSeries(appDb(), query, queryLimits().maxSeries);
  return success(series, warnings);
});

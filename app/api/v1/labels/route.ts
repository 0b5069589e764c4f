import { apiRoute, metadataParams, parseSearchParams, success } from '@/lib/api';
import { appDb, findLabelNames } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** The label names of the series matching any `match[]` selector, or of all series (Prometheus' labels). */
export const GET = apiRoute(async (request) => {
  const query = parseSearchParams(new URL(request.url).searchParams, metadataParams(Date.now(), false));
  return success(await findLabelNames(appDb(), query));
});

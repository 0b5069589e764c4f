import { apiRoute, metadataParams, parseSearchParams, success } from '@/lib/api';
import { appDb, findLabelValues } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** The values one label takes among the matching series (Prometheus' label values). */
export const GET = apiRoute(async (request, context: { params: Promise<{ name: string }> }) => {
  const { name } = await context.params;
  const query = parseSearchParams(new URL(request.url).searchParams, metadataParams(Date.now(), false));
  return success(await findLabelValues(appDb(), name, query));
});

import { apiRoute, parseSearchParams, success, targetsParams } from '@/lib/api';
import { readTargets } from '@/lib/db';
import { appDb } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** The worker's scrape targets and their health, as Prometheus' targets. */
export const GET = apiRoute(async (request) => {
  const { state } = parseSearchParams(new URL(request.url).searchParams, targetsParams);
  return success(await readTargets(appDb(), state));
});

import { apiRoute, parseSearchParams, pyroscopeParams, readBody, requireBody, success } from '@/lib/api';
import { appDb, ingestProfile, isMultipart, pushBody, pyroscopeItem, queryLimits } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** Pyroscope's push API, so its SDKs can send profiles to profd (see lib/query/pyroscope-name.ts for the labels). */
export const POST = apiRoute(async (request) => {
  const { maxProfileBytes } = queryLimits();
  const contentType = request.headers.get('content-type');
  const push = parseSearchParams(new URL(request.url).searchParams, pyroscopeParams(Date.now(), isMultipart(contentType)));
  const body = await pushBody(requireBody(await readBody(request, maxProfileBytes), 'a profile'), contentType);
  const stored = await ingestProfile(appDb(), pyroscopeItem(push, body, maxProfileBytes), maxProfileBytes);
  return success({ series: stored.series, timestamp: stored.timestamp }, stored.warnings);
});

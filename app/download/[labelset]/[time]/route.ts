import { ApiError, apiRoute, conprofLinkParams, fileResponse, parseSearchParams } from '@/lib/api';
import { appDb, findExactProfile, formatSeries } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** Conprof's download link: the stored profile (gzipped pprof) of exactly one series at exactly one time. */
export const GET = apiRoute(async (_request, context: { params: Promise<{ labelset: string; time: string }> }) => {
  const { labels, timeMs } = parseSearchParams(new URLSearchParams(await context.params), conprofLinkParams);
  const stored = await findExactProfile(appDb(), labels, timeMs);
  if (!stored) throw new ApiError('not_found', `${formatSeries(labels)} has no profile at ${new Date(timeMs).toISOString()}`);
  return fileResponse(stored.blob, `${labels.__name__ ?? 'profile'}-${timeMs}.pb.gz`);
});

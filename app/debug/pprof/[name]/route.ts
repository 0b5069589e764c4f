import { serveSelfProfile, type SelfProfileName } from '@/lib/selfprofile/http';

export const dynamic = 'force-dynamic';

const SERVED: readonly string[] = ['profile', 'heap'] satisfies SelfProfileName[];

/** The web app's own pprof endpoints, so profd can profile itself. */
export async function GET(request: Request, context: { params: Promise<{ name: string }> }) {
  const { name } = await context.params;
  if (!SERVED.includes(name)) {
    return new Response(`unknown profile ${JSON.stringify(name)}; served: ${SERVED.join(', ')}\n`, { status: 404 });
  }
  const response = await serveSelfProfile(name as SelfProfileName, new URL(request.url).searchParams);
  return new Response(response.body as BodyInit, { status: response.status, headers: response.headers });
}

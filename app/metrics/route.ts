import { webMetricsRegistry } from '@/lib/metrics/web-metrics';

export const dynamic = 'force-dynamic';

/** Prometheus metrics of the web app process. */
export async function GET() {
  const registry = webMetricsRegistry();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
}

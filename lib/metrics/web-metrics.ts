import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

/**
 * The web app's Prometheus registry: Node's process metrics, created once per process. It also answers
 * the Conprof Grafana datasource's "Save & test", which probes GET /metrics.
 */
export function webMetricsRegistry(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}

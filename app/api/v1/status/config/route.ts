import { apiRoute, success } from '@/lib/api';
import { readWorkerConfig } from '@/lib/db';
import { appDb } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** The YAML config the worker runs, as Prometheus' status/config, with where it came from and when. */
export const GET = apiRoute(async () => {
  const config = await readWorkerConfig(appDb());
  if (!config) return success({ yaml: '' }, ['no worker has recorded its config in this database yet: is the worker running?']);
  return success({ yaml: config.yaml, source: config.source, loadedAt: new Date(config.loadedAtMs).toISOString() });
});

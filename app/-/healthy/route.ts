import { apiRoute } from '@/lib/api';
import { appDb, databaseAnswers } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** Healthy when the database answers, as Prometheus' /-/healthy: 200, else 503. */
export const GET = apiRoute(async () =>
  (await databaseAnswers(appDb()))
    ? new Response('profd is Healthy.\n')
    : new Response('profd is not healthy: the database does not answer\n', { status: 503 }),
);

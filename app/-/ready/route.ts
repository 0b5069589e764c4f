import { apiRoute } from '@/lib/api';
import { appDb, databaseAnswers } from '@/lib/query';

export const dynamic = 'force-dynamic';

/** Ready when the database answers, as Prometheus' /-/ready: 200, else 503. */
export const GET = apiRoute(async () =>
  (await databaseAnswers(appDb()))
    ? new Response('profd is Ready.\n')
    : new Response('profd is not ready: the database does not answer\n', { status: 503 }),
);

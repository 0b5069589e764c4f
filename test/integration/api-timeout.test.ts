import { beforeAll, describe, expect, it } from 'vitest';
import { GET as query } from '../../app/api/v1/query/route';
import { get, ingestFixture, qs, useApiDatabase } from '../helpers/api';
import { forEachDatabase } from '../helpers/db';

// A time limit every merge overruns: reading the first page of profiles alone takes longer.
process.env.PROFD_QUERY_TIMEOUT = '1ms';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('PROFD_QUERY_TIMEOUT', () => {
  forEachDatabase((db) => {
    useApiDatabase(db);
    beforeAll(async () => {
      for (let i = 0; i < 3; i++) await ingestFixture('parca__fib.pb.gz', 'profile{job="api"}', T0 + i * 60_000);
    });

    it('a merge past its time limit answers with what it merged and a warning saying how many', async () => {
      const reply = await get(query, `/api/v1/query${qs({ mode: 'merge', query: 'profile', from: T0, to: T0 + 600_000, report: 'meta' })}`);
      expect(reply.status).toBe(200);
      expect(reply.json.warnings).toEqual([
        'the merge reached its time limit of 1ms (PROFD_QUERY_TIMEOUT); merged the oldest 0 profiles, ' +
          'stopping before profile{job="api"} at 2026-11-20T12:00:00.000Z: narrow the range',
      ]);
      expect(reply.json.data).toEqual({ sampleTypes: [], defaultSampleType: '' });
    });

    it('a single profile is read whatever the limit', async () => {
      const reply = await get(query, `/api/v1/query${qs({ query: 'profile', time: T0, report: 'meta' })}`);
      expect(reply.json).toEqual({ status: 'success', data: { sampleTypes: ['samples/count', 'cpu/nanoseconds'], defaultSampleType: 'cpu/nanoseconds' } });
    });
  });
});

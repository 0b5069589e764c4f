import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as ingest } from '../../app/api/v1/ingest/route';
import { GET as query } from '../../app/api/v1/query/route';
import { GET as queryRange } from '../../app/api/v1/query_range/route';
import { GET as series } from '../../app/api/v1/series/route';
import { POST as pyroscopeIngest } from '../../app/ingest/route';
import { decodeProfile, mergeProfiles, top } from '../../lib/pprof';
import { fixtureBody, get, ingestFixture, post, qs, useApiDatabase } from '../helpers/api';
import { fixtureBytes, forEachDatabase } from '../helpers/db';

// The limits of this file's process, set before any handler reads the environment.
process.env.PROFD_MAX_MERGE_PROFILES = '3';
process.env.PROFD_MAX_QUERY_SERIES = '2';
process.env.PROFD_MAX_QUERY_RANGE = '1h';
process.env.PROFD_MAX_PROFILE_BYTES = '50000';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const MIN = 60_000;
const MANY = ['1644509272337470000', '1644509275338070000', '1644509278338696000', '1644509281339135000', '1644509284338649000'].map(
  (nanos) => `parca__many-${nanos}.pb.gz`,
);

describe('configured limits', () => {
  forEachDatabase((db) => {
    useApiDatabase(db);
    beforeAll(async () => {
      for (const [i, file] of MANY.entries()) await ingestFixture(file, `heap{job="api", instance="i${i % 3}"}`, T0 + i * MIN);
    });

    it('a merge folds at most PROFD_MAX_MERGE_PROFILES profiles, the oldest, and says where it stopped', async () => {
      const reply = await get(query, `/api/v1/query${qs({ mode: 'merge', query: 'heap', from: T0, to: T0 + 10 * MIN, report: 'proto' })}`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('profd-warning')).toBe(
        'the range holds more than 3 profiles (PROFD_MAX_MERGE_PROFILES); merged the oldest 3 profiles, ' +
          `stopping before heap{instance="i0", job="api"} at ${new Date(T0 + 3 * MIN).toISOString()}: narrow the range`,
      );
      const oldestThree = mergeProfiles(MANY.slice(0, 3).map((file) => decodeProfile(fixtureBytes(file))));
      expect(top(decodeProfile(reply.bytes))).toEqual(top(oldestThree));
    });

    it('query_range returns at most PROFD_MAX_QUERY_SERIES series, and refuses a larger limit', async () => {
      const reply = await get(queryRange, `/api/v1/query_range${qs({ query: 'heap', from: T0, to: T0 + 10 * MIN })}`);
      expect(reply.json.data).toHaveLength(2);
      expect(reply.json.warnings).toEqual(['3 series match; only the first 2 are shown: narrow the selector or raise limit']);
      const larger = await get(queryRange, `/api/v1/query_range${qs({ query: 'heap', from: T0, to: T0 + 10 * MIN, limit: 3 })}`);
      expect([larger.status, larger.json.error]).toEqual([400, 'limit: must be a whole number from 1 to 2, got "3"']);
    });

    it('series lists at most PROFD_MAX_QUERY_SERIES label sets', async () => {
      const reply = await get(series, `/api/v1/series${qs({ 'match[]': 'heap', start: T0, end: T0 + 10 * MIN })}`);
      expect(reply.json.data).toHaveLength(2);
      expect(reply.json.warnings).toEqual(['more than 2 series match; only the first 2 are listed: narrow the selectors']);
    });

    it('a range wider than PROFD_MAX_QUERY_RANGE is refused', async () => {
      const reply = await get(queryRange, `/api/v1/query_range${qs({ query: 'heap', from: T0, to: T0 + 61 * MIN })}`);
      expect(reply.status).toBe(400);
      expect(reply.json.error).toContain('spans 1h1m, more than the 1h allowed; narrow it');
    });

    it.each<[string, () => Promise<{ status: number; json: { errorType: string; error: string } }>, string]>([
      ['a profile over the limit', () => post(ingest, `/api/v1/ingest${qs({ series: 'heap{job="big"}', timestamp: T0 })}`, fixtureBody('parca__alloc_objects.pb.gz')),
        'the request body is over the limit of 50000 bytes (PROFD_MAX_PROFILE_BYTES)'],
      ['a streamed body over the limit', () => post(ingest, `/api/v1/ingest${qs({ series: 'heap{job="big"}', timestamp: T0 })}`, streamOf(fixtureBytes('parca__alloc_objects.pb.gz'))),
        'the request body is over the limit of 50000 bytes'],
      ['a small gzip that inflates past the limit', () => post(ingest, `/api/v1/ingest${qs({ series: 'heap{job="big"}', timestamp: T0 })}`, gzipSync(Buffer.alloc(100_000))),
        'inflates to more than 50000 bytes'],
      ['a Pyroscope push over the limit', () => post(pyroscopeIngest, `/ingest${qs({ name: 'big.cpu', from: T0 / 1000, format: 'pprof' })}`, fixtureBody('parca__alloc_objects.pb.gz')),
        'the request body is over the limit of 50000 bytes'],
    ])('refuses %s with 413, storing nothing', async (_, send, message) => {
      const reply = await send();
      expect([reply.status, reply.json.errorType]).toEqual([413, 'bad_data']);
      expect(reply.json.error).toContain(message);
      const stored = await get(series, `/api/v1/series${qs({ 'match[]': '{job="big"}', start: T0, end: T0 })}`);
      expect(stored.json.data).toEqual([]);
    });
  });
});

/** A body of unknown length, sent in chunks, so only streaming can enforce the limit. */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, (offset += 4096)));
    },
  });
}

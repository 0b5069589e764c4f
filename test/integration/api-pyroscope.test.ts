import { describe, expect, it } from 'vitest';
import { GET as query } from '../../app/api/v1/query/route';
import { GET as series } from '../../app/api/v1/series/route';
import { POST as pyroscopeIngest } from '../../app/ingest/route';
import { call, fixtureBody, get, qs, useApiDatabase } from '../helpers/api';
import { forEachDatabase } from '../helpers/db';
import { readExpected } from '../helpers/fixtures';

const FROM_S = Date.UTC(2026, 10, 20, 12, 0, 0) / 1000;
const ORIGIN = 'http://profd.test';

/** A push as Pyroscope's Go SDK sends it: multipart/form-data with a `profile` file and optionally `sample_type_config`. */
function sdkPush(params: Record<string, string | number>, profile: Uint8Array<ArrayBuffer>, sampleTypeConfig?: object, prevProfile?: Uint8Array<ArrayBuffer>) {
  const form = new FormData();
  form.append('profile', new Blob([profile]), 'profile.pprof');
  if (prevProfile) form.append('prev_profile', new Blob([prevProfile]), 'profile.pprof');
  if (sampleTypeConfig) form.append('sample_type_config', new Blob([JSON.stringify(sampleTypeConfig)]), 'sample_type_config.json');
  return call(pyroscopeIngest, new Request(`${ORIGIN}/ingest${qs(params)}`, { method: 'POST', body: form }));
}

/** A push of a raw body, folded stacks or a pprof file. */
function rawPush(params: Record<string, string | number>, body: BodyInit) {
  return call(pyroscopeIngest, new Request(`${ORIGIN}/ingest${qs(params)}`, { method: 'POST', body }));
}

const BLOCK_CONFIG = { contentions: { 'display-name': 'block_count', units: 'lock_samples' }, delay: { 'display-name': 'block_duration', units: 'lock_nanoseconds' } };

describe('POST /ingest (Pyroscope push)', () => {
  forEachDatabase((db) => {
    useApiDatabase(db);
    // Each push gets its own 10-second slot, so the series stored by one push can be read back alone.
    const slot = (i: number) => ({ from: FROM_S + i * 10, until: FROM_S + i * 10 + 10 });
    const storedIn = async (i: number) => {
      const ms = (FROM_S + i * 10) * 1000;
      return (await get(series, `/api/v1/series${qs({ 'match[]': '{service_name=~".+"}', start: ms, end: ms })}`)).json.data;
    };
    const sample = fixtureBody('google-pprof__sample.cpu');

    it.each<[string, number, (i: number) => Promise<unknown>, Record<string, string>]>([
      ['a Go SDK CPU push', 0, (i) => sdkPush({ name: 'shop{env=staging,region=eu}', ...slot(i), spyName: 'gospy', sampleRate: 100 }, sample),
        { __name__: 'profile', env: 'staging', pyroscope_spy: 'gospy', region: 'eu', service_name: 'shop' }],
      ['a Go SDK heap push', 1, (i) => sdkPush({ name: 'shop', ...slot(i) }, fixtureBody('dd-trace-go__heap.pprof')), { __name__: 'heap', service_name: 'shop' }],
      ['a Go SDK block push, told from mutex by its config', 2, (i) => sdkPush({ name: 'shop', ...slot(i) }, fixtureBody('dd-trace-go__block.after.pprof'), BLOCK_CONFIG),
        { __name__: 'block', service_name: 'shop' }],
      ['contention without a config, as mutex', 3, (i) => sdkPush({ name: 'shop', ...slot(i) }, fixtureBody('dd-trace-go__block.after.pprof')),
        { __name__: 'mutex', service_name: 'shop' }],
      ['a raw pprof body with a type suffix', 4, (i) => rawPush({ name: 'shop.alloc_space', format: 'pprof', ...slot(i) }, fixtureBody('parca__alloc_objects.pb.gz')),
        { __name__: 'heap', service_name: 'shop' }],
      ['folded stacks of a dotted app name', 5, (i) => rawPush({ name: 'my.shop.cpu{env=prod}', ...slot(i) }, 'main;work 100\nmain;idle 50\n'),
        { __name__: 'profile', env: 'prod', service_name: 'my.shop' }],
      ['folded stacks without a suffix, as CPU', 6, (i) => rawPush({ name: 'my.shop', ...slot(i) }, 'main;work 1\n'), { __name__: 'profile', service_name: 'my.shop' }],
      ['folded heap stacks, in bytes unless units say otherwise', 7, (i) => rawPush({ name: 'shop.inuse_space', ...slot(i) }, 'main;alloc 4096\n'),
        { __name__: 'heap', service_name: 'shop' }],
    ])('maps %s to profd labels', async (_, i, push, labels) => {
      expect(await push(i)).toMatchObject({ status: 200, json: { status: 'success' } });
      expect(await storedIn(i)).toEqual([labels]);
    });

    it('stores CPU folded stacks as Go lays out a CPU profile, at the sample rate given', async () => {
      await rawPush({ name: 'rate.cpu', sampleRate: 250, ...slot(20) }, 'main;work 100\nmain;idle 50\n');
      const at = { query: '{service_name="rate"}', time: (FROM_S + 200) * 1000 };
      expect((await get(query, `/api/v1/query${qs({ ...at, report: 'meta' })}`)).json.data).toEqual({
        sampleTypes: ['samples/count', 'cpu/nanoseconds'], defaultSampleType: 'cpu/nanoseconds',
      });
      expect((await get(query, `/api/v1/query${qs({ ...at, report: 'folded' })}`)).text).toBe('main;idle 200000000\nmain;work 400000000\n');
    });

    it.each<[string, number, Record<string, string>, string, string]>([
      ['a type in bytes', 21, { name: 'units.alloc_space' }, 'heap', 'alloc_space/bytes'],
      ['a count of objects', 22, { name: 'units.inuse_objects' }, 'heap', 'inuse_objects/count'],
      ['units given', 23, { name: 'units.mutex_duration', units: 'lock_nanoseconds' }, 'mutex', 'mutex_duration/nanoseconds'],
    ])('stores other folded stacks as one sample type named after the suffix: %s', async (_, i, params, profileType, sampleType) => {
      await rawPush({ ...params, ...slot(i) }, 'main;work 7\n');
      const at = { query: `${profileType}{service_name="units"}`, time: (FROM_S + i * 10) * 1000 };
      expect((await get(query, `/api/v1/query${qs({ ...at, report: 'meta' })}`)).json.data).toEqual({ sampleTypes: [sampleType], defaultSampleType: sampleType });
    });

    it('keeps the pushed pprof profile as it was sent', async () => {
      const top = (await get(query, `/api/v1/query${qs({ query: 'profile{service_name="shop"}', time: FROM_S * 1000 })}`)).json.data;
      expect(top.total).toBe(readExpected('google-pprof__sample.cpu').tops[1].total);
    });

    it.each<[string, () => Promise<{ status: number; json: { error: string } }>, string]>([
      ['no name', () => rawPush({ ...slot(30) }, 'main 1\n'), 'name: is required'],
      ['a tag without a value', () => rawPush({ name: 'shop{env}', ...slot(30) }, 'main 1\n'), 'name: tag "env" has no value; write tag=value'],
      ['a tag that sets service_name', () => rawPush({ name: 'shop{service_name=x}', ...slot(30) }, 'main 1\n'), 'tag service_name is set from the name itself'],
      ['a tag name outside the label rules', () => rawPush({ name: 'shop{my-tag=1}', ...slot(30) }, 'main 1\n'), 'label name "my-tag" is not valid'],
      ['unknown units', () => rawPush({ name: 'shop.alloc_space', units: 'furlongs', ...slot(30) }, 'main 1\n'), 'units: "furlongs" is not one of samples'],
      ['a format profd does not read', () => rawPush({ name: 'shop', format: 'jfr', ...slot(30) }, 'x'), 'format: must be one of "pprof", "folded", got "jfr"'],
      ['until before from', () => rawPush({ name: 'shop', from: FROM_S + 10, until: FROM_S }, 'main 1\n'), 'from: is after until; swap them'],
      ['a cumulative push with prev_profile', () => sdkPush({ name: 'shop', ...slot(30) }, sample, undefined, sample), 'prev_profile (cumulative profiles of pyroscope-go before 1.0) is not supported'],
      ['a multipart body without a profile part', () => call(pyroscopeIngest, new Request(`${ORIGIN}/ingest?name=shop`, { method: 'POST', body: new FormData() })),
        'the multipart body has no "profile" file part'],
      ['a pprof push that is not pprof', () => rawPush({ name: 'shop.cpu', format: 'pprof', ...slot(30) }, 'main 1\n'), 'not gzip or pprof protobuf'],
    ])('refuses %s with bad_data, storing nothing', async (_, push, message) => {
      const reply = await push();
      expect(reply.status).toBe(400);
      expect(reply.json.error).toContain(message);
      expect(await storedIn(30)).toEqual([]);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../lib/pprof/decode';
import { encodeProfileRaw } from '../../lib/pprof/encode';
import { isProfileError } from '../../lib/pprof/errors';
import { parseFolded, toFolded } from '../../lib/pprof/folded';
import { diffProfiles, mergeProfiles, ProfileMerger } from '../../lib/pprof/merge';
import { scaleProfile, selectSampleTypes } from '../../lib/pprof/scale';
import type { Mapping, Profile } from '../../lib/pprof/model';
import { totals } from '../../lib/pprof/sample-types';
import { listFixtures, readExpected, readFixture } from '../helpers/fixtures';
import { syntheticProfile } from '../helpers/synthetic';

const load = (name: string) => decodeProfile(readFixture(name));
const protobufFixtures = listFixtures().filter((name) => readExpected(name).wire !== null);

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('mergeProfiles of one profile agrees with go tool pprof -raw', () => {
  it('covers every protobuf fixture', () => expect(protobufFixtures.length).toBeGreaterThanOrEqual(38));

  it.each(protobufFixtures)('%s', (name) => {
    const raw = readExpected(name).raw!;
    const merged = mergeProfiles([load(name)]);
    expect(merged.samples.length).toBe(raw.numSamplesAfterMerge);
    expect(merged.locations.length).toBe(raw.numLocations);
    expect(totals(merged)).toEqual(raw.signedSums);
    expect(merged.sampleTypes.map((t) => `${t.type}/${t.unit}`)).toEqual(raw.sampleTypes.map((t) => `${t.type}/${t.unit}`));
    expect(merged.period).toBe(raw.period);
  });

  it('renumbers every entity from 1 and keeps only what samples reference', () => {
    const merged = mergeProfiles([load('parca__many-1644509284338649000.pb.gz')]);
    for (const list of [merged.mappings, merged.functions, merged.locations]) expect(list.map((e) => e.id)).toEqual(list.map((_, i) => i + 1));
    const used = new Set(merged.samples.flatMap((s) => s.locations));
    expect(merged.locations.every((l) => used.has(l))).toBe(true);
  });

  it('leaves its input as it was', () => {
    const profile = load('parca__profile-with-labels.pb.gz');
    const before = encodeProfileRaw(profile);
    mergeProfiles([profile, profile]);
    expect(encodeProfileRaw(profile)).toEqual(before);
  });
});

describe('mergeProfiles of several profiles', () => {
  it.each(['parca__profile-with-labels.pb.gz', 'dd-trace-go__heap.pprof', 'google-pprof__sample.cpu', 'conprof__diff.pb.gz'])(
    'merging %s with itself doubles every stack and total',
    (name) => {
      const once = mergeProfiles([load(name)]);
      const twice = mergeProfiles([load(name), load(name)]);
      expect(twice.samples.length).toBe(once.samples.length);
      expect(totals(twice)).toEqual(totals(once).map((v) => 2 * v));
      twice.samples.forEach((s, i) => expect(s.values).toEqual(once.samples[i].values.map((v) => 2 * v)));
      expect(twice.durationNanos).toBe(2 * once.durationNanos);
    },
  );

  it('sums the parca series of one process over time and spans its time', () => {
    const series = protobufFixtures.filter((name) => name.startsWith('parca__many-')).map(load);
    expect(series).toHaveLength(5);
    const merged = mergeProfiles(series);
    const expected = series.map(totals).reduce((sum, t) => sum.map((v, i) => v + t[i]));
    expect(totals(merged)).toEqual(expected);
    expect(merged.timeNanos).toBe(series.map((p) => p.timeNanos).reduce((a, b) => (a < b ? a : b)));
    expect(merged.durationNanos).toBe(series.reduce((sum, p) => sum + p.durationNanos, 0));
  });

  it('merges the same binary loaded at another address (ASLR) into the same locations', () => {
    const profile = load('google-pprof__sample.cpu');
    const moved = relocate(profile, 0x10000000n);
    const merged = mergeProfiles([profile, moved]);
    expect(merged.locations.length).toBe(mergeProfiles([profile]).locations.length);
    expect(totals(merged)).toEqual(totals(profile).map((v) => 2 * v));
  });

  it('gives the same profile one at a time as all at once', () => {
    const profiles = [1, 2, 3].map((seed) => syntheticProfile({ seed, functions: 300, samples: 400, labels: 3 }));
    const merger = new ProfileMerger();
    for (const p of profiles) merger.add(p);
    expect(encodeProfileRaw(merger.result())).toEqual(encodeProfileRaw(mergeProfiles(profiles)));
  });

  it('keeps stacks with different labels apart', () => {
    const merged = mergeProfiles([syntheticProfile({ seed: 1, functions: 300, samples: 400, labels: 3 })]);
    const unlabelled = mergeProfiles([{ ...merged, samples: merged.samples.map((s) => ({ ...s, labels: [] })) }]);
    expect(unlabelled.samples.length).toBeLessThan(merged.samples.length);
    expect(totals(unlabelled)).toEqual(totals(merged));
  });

  it.each([
    ['different comments', { comments: ['b', 'a'] }, { comments: ['a', 'b'], defaultSampleType: 'cpu' }],
    ['a conflicting default sample type', { defaultSampleType: 'samples' }, { comments: ['a'], defaultSampleType: '' }],
  ])('combines headers with %s', (_, second, expected) => {
    const first: Profile = { ...syntheticProfile({ seed: 1, functions: 100, samples: 50 }), comments: ['a'], defaultSampleType: 'cpu' };
    const merged = mergeProfiles([first, { ...first, comments: [], defaultSampleType: '', ...second }]);
    expect({ comments: merged.comments, defaultSampleType: merged.defaultSampleType }).toEqual(expected);
  });
});

describe('mergeProfiles refuses what cannot be merged', () => {
  const cpu = () => load('google-pprof__sample.cpu');
  const heap = () => load('dd-trace-go__heap.pprof');

  it('names both sets of sample types', () => {
    const err = errorOf(() => mergeProfiles([cpu(), heap()]));
    expect(isProfileError(err, 'incompatible')).toBe(true);
    expect((err as Error).message).toContain('[samples/count cpu/nanoseconds]');
    expect((err as Error).message).toContain('[alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes]');
  });

  it('names both period types', () => {
    const err = errorOf(() => mergeProfiles([cpu(), { ...cpu(), periodType: { type: 'wall', unit: 'seconds' } }]));
    expect(isProfileError(err, 'incompatible')).toBe(true);
    expect((err as Error).message).toMatch(/cpu\/nanoseconds and wall\/seconds/);
  });

  it('needs at least one profile', () => {
    expect(isProfileError(errorOf(() => mergeProfiles([])), 'invalid_value')).toBe(true);
  });
});

describe('diffProfiles', () => {
  it.each(['parca__alloc_objects.pb.gz', 'google-pprof__large.cpu', 'datadog-pprof-format__test.pprof'])(
    'a merge of %s diffed with the original leaves nothing',
    (name) => {
      const profile = load(name);
      const diff = diffProfiles(profile, mergeProfiles([profile]));
      expect(totals(diff)).toEqual(profile.sampleTypes.map(() => 0));
      expect(diff.samples).toHaveLength(0);
    },
  );

  it('shows what grew and what shrank, per stack', () => {
    const base = parseFolded('main;parse 10\nmain;render 5\nmain;gc 3\n', { sampleType: 'cpu', unit: 'nanoseconds' });
    const other = parseFolded('main;parse 4\nmain;render 9\nmain;gc 3\nmain;serve 2\n', { sampleType: 'cpu', unit: 'nanoseconds' });
    expect(toFolded(diffProfiles(base, other), 0)).toBe('main;parse -6\nmain;render 4\nmain;serve 2\n');
  });

  it('refuses profiles of different types, as merging does', () => {
    const err = errorOf(() => diffProfiles(load('google-pprof__sample.cpu'), load('dd-trace-go__heap.pprof')));
    expect(isProfileError(err, 'incompatible')).toBe(true);
  });
});

describe('scaleProfile', () => {
  const folded = (text: string) => parseFolded(text, { sampleType: 'samples', unit: 'count' });

  it.each([
    [0.5, 'a 1\nb 3\nc 5\nd -1\ne -3\n', 'a 1\nb 2\nc 3\nd -1\ne -2\n'],
    [-1, 'a 1\nb -4\n', 'a -1\nb 4\n'],
    [0.1, 'a 4\nb 5\nc 20\n', 'b 1\nc 2\n'],
  ])('scales by %d, rounding halves away from zero as Go does and dropping what reaches zero', (factor, input, expected) => {
    expect(toFolded(scaleProfile(folded(input), factor), 0)).toBe(expected);
  });

  it('refuses a factor that is not a finite number', () => {
    expect(isProfileError(errorOf(() => scaleProfile(folded('a 1'), Number.NaN)), 'invalid_value')).toBe(true);
  });
});

describe('selectSampleTypes', () => {
  const heap = () => load('dd-trace-go__heap.pprof');

  it.each([
    [['inuse_space'], ['inuse_space/bytes']],
    [[3, 'alloc_objects'], ['inuse_space/bytes', 'alloc_objects/count']],
    [['alloc_space/bytes'], ['alloc_space/bytes']],
  ])('keeps %j', (choices, expected) => {
    const profile = heap();
    const selected = selectSampleTypes(profile, choices);
    expect(selected.sampleTypes.map((t) => `${t.type}/${t.unit}`)).toEqual(expected);
    const all = totals(profile);
    expect(totals(selected)).toEqual(expected.map((t) => all[profile.sampleTypes.findIndex((s) => `${s.type}/${s.unit}` === t)]));
  });

  it('drops samples left all zero, such as freed allocations for inuse_space', () => {
    const profile = heap();
    const inuse = selectSampleTypes(profile, ['inuse_space']);
    expect(inuse.samples.length).toBe(profile.samples.filter((s) => s.values[3] !== 0).length);
    expect(inuse.samples.length).toBeLessThan(profile.samples.length);
  });

  it.each([
    [['inuse_space'], 'inuse_space'],
    [['alloc_space'], ''],
  ])('keeps the default sample type only when chosen: %j', (choices, expected) => {
    expect(selectSampleTypes({ ...heap(), defaultSampleType: 'inuse_space' }, choices).defaultSampleType).toBe(expected);
  });

  it.each([
    [['cpu'], /sample type "cpu" is not in the profile \(valid: 0: alloc_objects\/count/],
    [[], /at least one/],
    [['inuse_space', 3], /inuse_space\/bytes is chosen more than once/],
  ])('refuses %j', (choices, message) => {
    const err = errorOf(() => selectSampleTypes(heap(), choices));
    expect(isProfileError(err, 'invalid_value')).toBe(true);
    expect((err as Error).message).toMatch(message);
  });
});

/** The profile as if its binaries were loaded `shift` bytes higher. */
function relocate(profile: Profile, shift: bigint): Profile {
  const mappings = new Map<Mapping, Mapping>(
    profile.mappings.map((m) => [m, { ...m, memoryStart: m.memoryStart + shift, memoryLimit: m.memoryLimit + shift }]),
  );
  const locations = new Map(
    profile.locations.map((l) => [l, { ...l, mapping: l.mapping && mappings.get(l.mapping)!, address: l.mapping ? l.address + shift : l.address }]),
  );
  return {
    ...profile,
    mappings: [...mappings.values()],
    locations: [...locations.values()],
    samples: profile.samples.map((s) => ({ ...s, locations: s.locations.map((l) => locations.get(l)!) })),
  };
}

import { describe, expect, it } from 'vitest';
import { decodeProfile, encodeProfile, encodeProfileRaw, isProfileError, mergeProfiles, ProfileMerger, type Profile } from '../../lib/pprof';
import { listFixtures, readFixture } from '../helpers/fixtures';
import { SYNTHETIC_PRESETS, syntheticProfile } from '../helpers/synthetic';

/**
 * ProfileMerger.add of decoded profiles, which merges their columns without building their objects,
 * against the merge of the same profiles as objects, which it must equal.
 */

/**
 * The merged profile's encoding, or the refusal as `code: message`. Equal encodings are equal models
 * (every field is encoded), and comparing them is far quicker than comparing object graphs.
 */
function outcome(run: () => Profile): Buffer | string {
  try {
    return Buffer.from(encodeProfileRaw(run()));
  } catch (err) {
    if (isProfileError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
}

/** Fails unless both merges gave the same profile or the same refusal. */
function expectSame(actual: Buffer | string, expected: Buffer | string, what?: string): void {
  if (typeof actual === 'string' || typeof expected === 'string') expect(actual, what).toEqual(expected);
  else expect(actual.equals(expected), what).toBe(true);
}

const viaColumns = (inputs: readonly Uint8Array[]) => mergeProfiles(inputs.map((bytes) => decodeProfile(bytes)));

/** The same profiles as objects: a spread copy reads every getter, and has no columns. */
const viaModels = (inputs: readonly Uint8Array[]) => mergeProfiles(inputs.map((bytes) => ({ ...decodeProfile(bytes) })));

describe('merging columns merges every fixture as merging objects does', () => {
  const fixtures = listFixtures();
  it('covers every fixture', () => expect(fixtures.length).toBeGreaterThanOrEqual(49));

  it.each(fixtures)('%s', (name) => {
    const bytes = readFixture(name);
    expectSame(outcome(() => viaColumns([bytes])), outcome(() => viaModels([bytes])));
  });
});

describe('merging columns merges sets of profiles as merging objects does', () => {
  const fixtureSets = [
    ['the parca series of one process', listFixtures().filter((name) => name.startsWith('parca__many-'))],
    ['dd-trace-go heap profiles', ['dd-trace-go__heap.before.pprof', 'dd-trace-go__heap.after.pprof', 'dd-trace-go__heap.pprof', 'dd-trace-go__big-heap.pprof']],
    ['a profile with itself', ['datadog-pprof-format__test.pprof', 'datadog-pprof-format__test.pprof']],
  ] as const;
  it.each(fixtureSets)('%s', (_, names) => {
    const inputs = names.map(readFixture);
    expectSame(outcome(() => viaColumns(inputs)), outcome(() => viaModels(inputs)));
  });

  const syntheticSets = [
    ['medium cpu profiles of one program', { ...SYNTHETIC_PRESETS.medium }],
    ['heap profiles with labels and inlined frames', { functions: 400, samples: 600, sampleTypes: 'heap', labels: 6, inlineFraction: 0.3 }],
  ] as const;
  it.each(syntheticSets)('%s', (_, options) => {
    const inputs = [1, 2, 3, 4].map((seed) => encodeProfile(syntheticProfile({ ...options, seed })));
    expectSame(outcome(() => viaColumns(inputs)), outcome(() => viaModels(inputs)));
  });

  it('mixes with objects in one merge', () => {
    const profiles = [1, 2, 3].map((seed) => syntheticProfile({ seed, functions: 300, samples: 400, labels: 3 }));
    const merger = new ProfileMerger();
    merger.add(profiles[0]);
    merger.add(decodeProfile(encodeProfileRaw(profiles[1])));
    merger.add(profiles[2]);
    expect(merger.result()).toEqual(mergeProfiles(profiles));
  });
});

describe('what no sample with a value reaches', () => {
  // The columns' merge interns every function and location of a profile before its samples: those
  // only a zero sample or no sample reaches must still be left out, as pprof's merge leaves them out.
  it('is left out of the merge, as merging objects leaves it out', () => {
    const base = syntheticProfile({ seed: 5, functions: 200, samples: 300 });
    const mapping = base.mappings[0];
    const unreached = (id: number, name: string) => {
      const fn = { id, name, systemName: name, filename: 'unreached.go', startLine: 1 };
      return { fn, location: { id, mapping, address: mapping.memoryStart + BigInt(id), lines: [{ fn, line: 2, column: 0 }], isFolded: false } };
    };
    const zeroOnly = unreached(900_001, 'main.onlyInAZeroSample');
    const none = unreached(900_002, 'main.inNoSample');
    const profile: Profile = {
      ...base,
      samples: [...base.samples, { locations: [zeroOnly.location, ...base.samples[0].locations], values: base.sampleTypes.map(() => 0), labels: [] }],
      locations: [none.location, ...base.locations, zeroOnly.location],
      functions: [none.fn, ...base.functions, zeroOnly.fn],
    };
    const inputs = [encodeProfileRaw(profile), encodeProfileRaw(base)];
    const merged = viaColumns(inputs);
    expect(merged.functions.map((f) => f.name)).not.toContain('main.onlyInAZeroSample');
    expect(merged.functions.map((f) => f.name)).not.toContain('main.inNoSample');
    expect(merged.locations).toHaveLength(mergeProfiles([base]).locations.length);
    expectSame(outcome(() => merged), outcome(() => viaModels(inputs)));
  });
});

describe('a refused profile', () => {
  it('leaves the merge as it was', () => {
    const [a, b] = [1, 2].map((seed) => encodeProfileRaw(syntheticProfile({ seed, functions: 300, samples: 400 })));
    const heap = decodeProfile(encodeProfileRaw(syntheticProfile({ seed: 3, functions: 300, samples: 400, sampleTypes: 'heap' })));
    const merger = new ProfileMerger();
    merger.add(decodeProfile(a));
    expect(() => merger.add(heap)).toThrow(/cannot merge profiles with sample types/);
    expect(() => merger.add({ ...heap })).toThrow(/cannot merge profiles with sample types/);
    merger.add(decodeProfile(b));
    expect(outcome(() => merger.result())).toEqual(outcome(() => viaModels([a, b])));
  });
});

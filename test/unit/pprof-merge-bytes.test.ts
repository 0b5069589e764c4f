import { describe, expect, it } from 'vitest';
import { decodeProfile, encodeProfile, encodeProfileRaw, isProfileError, mergeProfiles, ProfileMerger, unwrapProfileBytes, type Profile } from '../../lib/pprof';
import { listFixtures, readFixture } from '../helpers/fixtures';
import { SYNTHETIC_PRESETS, syntheticProfile } from '../helpers/synthetic';

/** ProfileMerger.addBytes, the merge that skips the model, against the model path it must equal. */

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

function viaBytes(inputs: readonly Uint8Array[]): Profile {
  const merger = new ProfileMerger();
  for (const bytes of inputs) merger.addBytes(bytes);
  return merger.result();
}

const viaModels = (inputs: readonly Uint8Array[]) => mergeProfiles(inputs.map((bytes) => decodeProfile(bytes)));

describe('addBytes merges every fixture as decoding and merging does', () => {
  const fixtures = listFixtures();
  it('covers every fixture', () => expect(fixtures.length).toBeGreaterThanOrEqual(49));

  it.each(fixtures)('%s', (name) => {
    const bytes = readFixture(name);
    expectSame(outcome(() => viaBytes([bytes])), outcome(() => viaModels([bytes])));
  });
});

describe('addBytes merges sets of profiles as decoding and merging does', () => {
  const fixtureSets = [
    ['the parca series of one process', listFixtures().filter((name) => name.startsWith('parca__many-'))],
    ['dd-trace-go heap profiles', ['dd-trace-go__heap.before.pprof', 'dd-trace-go__heap.after.pprof', 'dd-trace-go__heap.pprof', 'dd-trace-go__big-heap.pprof']],
    ['a profile with itself', ['datadog-pprof-format__test.pprof', 'datadog-pprof-format__test.pprof']],
  ] as const;
  it.each(fixtureSets)('%s', (_, names) => {
    const inputs = names.map(readFixture);
    expectSame(outcome(() => viaBytes(inputs)), outcome(() => viaModels(inputs)));
  });

  const syntheticSets = [
    ['medium cpu profiles of one program', { ...SYNTHETIC_PRESETS.medium }],
    ['heap profiles with labels and inlined frames', { functions: 400, samples: 600, sampleTypes: 'heap', labels: 6, inlineFraction: 0.3 }],
  ] as const;
  it.each(syntheticSets)('%s', (_, options) => {
    const inputs = [1, 2, 3, 4].map((seed) => encodeProfile(syntheticProfile({ ...options, seed })));
    expectSame(outcome(() => viaBytes(inputs)), outcome(() => viaModels(inputs)));
  });

  it('mixes with add in one merge', () => {
    const profiles = [1, 2, 3].map((seed) => syntheticProfile({ seed, functions: 300, samples: 400, labels: 3 }));
    const merger = new ProfileMerger();
    merger.add(profiles[0]);
    merger.addBytes(encodeProfileRaw(profiles[1]));
    merger.add(profiles[2]);
    expect(merger.result()).toEqual(mergeProfiles(profiles));
  });
});

describe('addBytes refuses what decodeProfile refuses', () => {
  it('with the same message, whichever byte of a profile is corrupted', () => {
    const small = unwrapProfileBytes(readFixture('dd-trace-go__block.before.pprof'));
    const refusals = new Set<string>();
    // Per byte, its continuation bit and one other in turn: every varint and length gets broken.
    for (let i = 0; i < small.length * 2; i++) {
      const flipped = Uint8Array.from(small);
      flipped[i >> 1] ^= i & 1 ? 0x80 : 1 << ((i >> 1) % 7);
      const expected = outcome(() => viaModels([flipped]));
      expectSame(outcome(() => viaBytes([flipped])), expected, `byte ${i >> 1}`);
      if (typeof expected === 'string') refusals.add(expected.slice(0, expected.indexOf(':')));
    }
    expect([...refusals].sort()).toEqual(['invalid_reference', 'invalid_value', 'not_pprof', 'truncated']);
  });

  it('and a refused profile leaves the merge as it was', () => {
    const [a, b] = [1, 2].map((seed) => encodeProfileRaw(syntheticProfile({ seed, functions: 300, samples: 400 })));
    const third = syntheticProfile({ seed: 3, functions: 300, samples: 400 });
    const broken = encodeProfileRaw({ ...third, locations: third.locations.slice(1) });
    const heap = encodeProfileRaw(syntheticProfile({ seed: 3, functions: 300, samples: 400, sampleTypes: 'heap' }));
    const merger = new ProfileMerger();
    merger.addBytes(a);
    expect(() => merger.addBytes(broken)).toThrow(/sample \d+ references missing location 1$/);
    expect(() => merger.addBytes(heap)).toThrow(/cannot merge profiles with sample types/);
    expect(() => merger.addBytes(b.subarray(0, b.length / 2))).toThrow(/truncated/);
    merger.addBytes(b);
    expect(merger.result()).toEqual(viaModels([a, b]));
  });

  it('over the size limit', () => {
    const bytes = encodeProfile(syntheticProfile({ seed: 1, functions: 300, samples: 400 }));
    expect(() => new ProfileMerger().addBytes(bytes, { maxBytes: 1024 })).toThrow(/more than 1024 bytes/);
  });
});

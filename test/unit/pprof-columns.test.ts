import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCallTree, decodeProfile, diffProfiles, encodeProfile, encodeProfileRaw, mergeProfiles, ProfileMerger, scaleProfile, selectSampleTypes, top, type Profile } from '../../lib/pprof';
import { syntheticProfile } from '../helpers/synthetic';

const FIXTURES = new URL('../../../shared/fixtures/pprof/', import.meta.url);
const decodable = readdirSync(FIXTURES)
  .filter((f) => !/\.(txt|md|string)$/.test(f))
  .sort()
  .flatMap((name) => {
    try {
      return [{ name, profile: decodeProfile(readFileSync(new URL(name, FIXTURES))) }];
    } catch {
      return [];
    }
  });

/**
 * A decoded profile is read from its columns; a spread copy of it is a plain model, read from its
 * objects. Both ways must give the user the same answers.
 */
const asModel = (profile: Profile): Profile => ({ ...profile });

describe('a decoded profile reads the same from its columns as from its model', () => {
  it('covers the protobuf fixtures', () => expect(decodable.length).toBeGreaterThanOrEqual(38));

  // Large results are compared as bytes or JSON: toEqual would walk 400,000 call-tree nodes slowly.
  it.each(decodable)('$name', ({ profile }) => {
    const bytes = (p: Profile) => Buffer.from(encodeProfileRaw(p));
    expect(bytes(profile).equals(bytes(asModel(profile)))).toBe(true);
    expect(top(profile)).toEqual(top(asModel(profile)));
    for (let i = 0; i < profile.sampleTypes.length; i++) {
      expect(JSON.stringify(buildCallTree(profile, i))).toBe(JSON.stringify(buildCallTree(asModel(profile), i)));
    }
    expect(bytes(mergeProfiles([profile, profile])).equals(bytes(mergeProfiles([asModel(profile), asModel(profile)])))).toBe(true);
    expect(bytes(scaleProfile(profile, -1.5)).equals(bytes(scaleProfile(asModel(profile), -1.5)))).toBe(true);
    const last = Math.max(0, profile.sampleTypes.length - 1);
    if (profile.sampleTypes.length > 0) expect(bytes(selectSampleTypes(profile, [last])).equals(bytes(selectSampleTypes(asModel(profile), [last])))).toBe(true);
    expect(top(diffProfiles(profile, profile))).toEqual(top(diffProfiles(asModel(profile), asModel(profile))));
  });
});

describe('a merged profile reads the same from its columns as from its model', () => {
  const bytes = (p: Profile) => Buffer.from(encodeProfileRaw(p));
  const readsAlike = (merged: Profile) => {
    expect(bytes(merged).equals(bytes(asModel(merged)))).toBe(true);
    expect(top(merged)).toEqual(top(asModel(merged)));
    for (let i = 0; i < merged.sampleTypes.length; i++) {
      expect(JSON.stringify(buildCallTree(merged, i))).toBe(JSON.stringify(buildCallTree(asModel(merged), i)));
    }
    expect(bytes(mergeProfiles([merged, merged])).equals(bytes(mergeProfiles([asModel(merged), asModel(merged)])))).toBe(true);
    expect(bytes(scaleProfile(merged, 3)).equals(bytes(scaleProfile(asModel(merged), 3)))).toBe(true);
  };

  // Taking half the profile from itself leaves the samples of value 1 at zero: compaction drops them and what only they reach.
  it.each(decodable)('$name, less half of itself', ({ profile }) => readsAlike(diffProfiles(scaleProfile(profile, 0.5), profile)));

  it('a merge of labelled profiles, merged from their columns', () => {
    const merger = new ProfileMerger();
    for (const seed of [1, 2, 3]) merger.add(decodeProfile(encodeProfile(syntheticProfile({ seed, functions: 300, samples: 400, labels: 3 }))));
    readsAlike(merger.result());
  });

  it('keeps what it returned as it was when the merger merges more', () => {
    const merger = new ProfileMerger();
    merger.add(syntheticProfile({ seed: 1, functions: 300, samples: 400 }));
    const first = merger.result();
    const before = bytes(first);
    merger.add(syntheticProfile({ seed: 2, functions: 600, samples: 400 }));
    expect(bytes(first).equals(before)).toBe(true);
    expect(bytes(merger.result()).equals(before)).toBe(false);
  });
});

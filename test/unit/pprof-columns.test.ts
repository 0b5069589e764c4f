import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCallTree, decodeProfile, diffProfiles, encodeProfileRaw, mergeProfiles, scaleProfile, selectSampleTypes, top, type Profile } from '../../lib/pprof';

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

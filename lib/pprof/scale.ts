import { ProfileError } from './errors';
import type { Profile, Sample } from './model';
import { decodedColumnsOf } from './profile-columns';
import { formatSampleType, sampleIndex } from './sample-types';
import { withSampleValues } from './scale-columns';

/**
 * The profile with every sample value multiplied by `factor`, rounded half away from zero to an
 * integer, as pprof's `Profile.Scale` does; samples left all zero are dropped. The profile itself is
 * returned for a factor of 1. Locations, functions and mappings are shared with the input, which is
 * not modified.
 */
export function scaleProfile(profile: Profile, factor: number): Profile {
  if (!Number.isFinite(factor)) throw new ProfileError('invalid_value', `scale factor must be a finite number, not ${factor}`);
  if (factor === 1) return profile;
  const columns = decodedColumnsOf(profile);
  if (columns) return withSampleValues(profile, columns, profile, (values, start, j) => roundHalfAwayFromZero(values[start + j] * factor));
  const samples: Sample[] = [];
  for (const sample of profile.samples) {
    const values = sample.values.map((v) => roundHalfAwayFromZero(v * factor));
    if (values.some((v) => v !== 0)) samples.push({ ...sample, values });
  }
  return { ...profile, samples };
}

/** Go's math.Round; Math.round rounds halves towards +∞, which would make −2.5 round to −2. */
function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * The profile with only the chosen sample types, in the order chosen: each choice is an index, a type
 * name (`alloc_space`) or `type/unit`. Samples left all zero are dropped, so a flame graph of
 * `inuse_space` does not carry every freed allocation. The default sample type is kept when chosen.
 */
export function selectSampleTypes(profile: Profile, choices: readonly (number | string)[]): Profile {
  if (choices.length === 0) throw new ProfileError('invalid_value', 'choose at least one sample type to keep');
  const indices = choices.map((choice) => sampleIndex(profile, choice));
  const repeated = indices.find((index, i) => indices.indexOf(index) !== i);
  if (repeated !== undefined) {
    throw new ProfileError('invalid_value', `sample type ${formatSampleType(profile.sampleTypes[repeated])} is chosen more than once`);
  }
  const sampleTypes = indices.map((i) => profile.sampleTypes[i]);
  const keepsDefault = sampleTypes.some((t) => t.type === profile.defaultSampleType);
  const defaultSampleType = keepsDefault ? profile.defaultSampleType : '';
  const columns = decodedColumnsOf(profile);
  if (columns) return withSampleValues(profile, columns, { sampleTypes, defaultSampleType }, (values, start, j) => values[start + indices[j]]);
  const samples: Sample[] = [];
  for (const sample of profile.samples) {
    const values = indices.map((i) => sample.values[i]);
    if (values.some((v) => v !== 0)) samples.push({ ...sample, values });
  }
  return { ...profile, sampleTypes, samples, defaultSampleType };
}

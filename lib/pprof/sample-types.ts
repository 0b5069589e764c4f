import { ProfileError } from './errors';
import type { Profile, ValueType } from './model';

/** Formats a sample type the way pprof prints it: `cpu/nanoseconds`. */
export function formatSampleType(t: ValueType): string {
  return `${t.type}/${t.unit}`;
}

/**
 * The index of the sample type pprof shows by default: `default_sample_type` when set and present,
 * otherwise the last one (go tool pprof's rule). -1 for a profile without sample types.
 */
export function defaultSampleIndex(profile: Pick<Profile, 'sampleTypes' | 'defaultSampleType'>): number {
  if (profile.defaultSampleType !== '') {
    const i = profile.sampleTypes.findIndex((t) => t.type === profile.defaultSampleType);
    if (i >= 0) return i;
  }
  return profile.sampleTypes.length - 1;
}

/**
 * Resolves a user's sample-type choice (a type name such as `alloc_space`, `type/unit`, or an index)
 * to an index, with an error listing the valid choices. Undefined picks the default.
 */
export function sampleIndex(profile: Profile, choice?: string | number): number {
  if (choice === undefined || choice === '') {
    const i = defaultSampleIndex(profile);
    if (i < 0) throw new ProfileError('invalid_value', 'the profile has no sample types');
    return i;
  }
  const types = profile.sampleTypes;
  const asIndex = typeof choice === 'number' ? choice : /^\d+$/.test(choice) ? Number(choice) : -1;
  let i = asIndex >= 0 && asIndex < types.length ? asIndex : -1;
  if (i < 0 && typeof choice === 'string') {
    i = types.findIndex((t) => t.type === choice || formatSampleType(t) === choice);
  }
  if (i < 0) {
    const valid = types.map((t, j) => `${j}: ${formatSampleType(t)}`).join(', ');
    throw new ProfileError('invalid_value', `sample type ${JSON.stringify(String(choice))} is not in the profile (valid: ${valid})`);
  }
  return i;
}

/** The signed sum of every sample's value, per sample type, in sample-type order. */
export function totals(profile: Profile): number[] {
  const sums = profile.sampleTypes.map(() => 0);
  for (const sample of profile.samples) {
    for (let i = 0; i < sums.length; i++) sums[i] += sample.values[i];
  }
  return sums;
}

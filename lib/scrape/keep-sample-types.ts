import type { Profile, ValueType } from '../pprof/model';
import { formatSampleType } from '../pprof/sample-types';
import { selectSampleTypes } from '../pprof/scale';
import { ScrapeError } from './errors';

/**
 * Parca's `keep_sample_type`: the profile with only the listed (type, unit) pairs. Refuses a profile
 * that has none of them, since storing an empty profile would hide the config mistake.
 */
export function keepSampleTypes(profile: Profile, keep: readonly ValueType[]): Profile {
  const indexes = profile.sampleTypes.flatMap((t, i) => (keep.some((k) => k.type === t.type && k.unit === t.unit) ? [i] : []));
  if (indexes.length === 0) {
    const has = profile.sampleTypes.map(formatSampleType).join(', ') || 'none';
    const wanted = keep.map(formatSampleType).join(', ');
    throw new ScrapeError('sample_types', `keep_sample_type (${wanted}) matches none of the profile's sample types (${has})`);
  }
  return selectSampleTypes(profile, indexes);
}

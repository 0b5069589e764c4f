import type { Profile } from '../pprof';

/**
 * A decoded profile cut down to what storage reads from it (lib/db's prepareBatch: sample types,
 * default type, period, duration and the per-type totals), with the totals carried by one sample
 * without locations: the profile with every stack folded into its root. A decoded profile holds
 * megabytes of samples and frames; queueing this instead keeps a backlog's memory in blob bytes and
 * spares writeProfiles a second decode, which under load fed on itself (slower writes, longer
 * backlog, more decoding). The blob stored is still the full profile.
 */
export function storageSummary(profile: Profile, totals: readonly number[]): Profile {
  return { ...profile, samples: [{ locations: [], values: totals, labels: [] }], mappings: [], locations: [], functions: [] };
}

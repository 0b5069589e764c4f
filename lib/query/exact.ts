import { readProfiles, type Db, type StoredProfile } from '../db';
import type { Labels } from '../selector';
import { labelMatchers, sameLabels } from './labelset';

// Series whose labels extend the one asked for and share its timestamp; Conprof links name one exactly.
const MAX_CANDIDATES = 1000;

/**
 * The stored profile of exactly the series `labels` (not one with more labels) at exactly `timeMs`,
 * or null: what Conprof's `/download/<key>/<ms>/` links point at.
 */
export async function findExactProfile(db: Db, labels: Labels, timeMs: number): Promise<StoredProfile | null> {
  for await (const stored of readProfiles(db, { matchers: labelMatchers(labels), fromMs: timeMs, toMs: timeMs }, MAX_CANDIDATES)) {
    if (sameLabels(stored.series.labels, labels)) return stored;
  }
  return null;
}

/**
 * Merges stored profiles as they stream from storage, oldest first: each blob is decoded a few
 * profiles ahead on the decoding thread (lib/threads/decode-thread.ts), folded into one ProfileMerger
 * from its columns (no per-profile model is built) and dropped, so memory follows the merged profile,
 * not the number of inputs.
 * Stops early, with a warning saying how far it got, at the profile limit or the wall-time limit.
 */
import { ApiError } from '../api/errors';
import { readProfiles, type Db, type SeriesQuery } from '../db';
import { decodeProfile, isProfileError, ProfileMerger, type Profile } from '../pprof';
import { decodeAhead } from '../threads/decode-thread';
import { formatDuration } from '../time/duration';
import { formatSeries } from './labelset';
import type { QueryLimits } from './limits';

/** A merge's result: the merged profile (null when nothing matched), how many went in, and warnings. */
export interface MergeResult {
  readonly profile: Profile | null;
  readonly merged: number;
  readonly warnings: string[];
}

/** The budget of one merge; a request's diff shares one deadline between its two sides. */
export interface MergeBudget {
  readonly limits: QueryLimits;
  /** `performance.now()` after which the merge stops. */
  readonly deadline: number;
  /** Aborted when the client goes away, so its merge stops too. */
  readonly signal?: AbortSignal;
}

/** The budget of a request starting now. */
export function mergeBudget(limits: QueryLimits, signal?: AbortSignal): MergeBudget {
  return { limits, deadline: performance.now() + limits.timeoutMs, signal };
}

/**
 * Merges every profile of the matching series in [fromMs, toMs]. Profiles of different sample types
 * cannot be merged: that is a `bad_data` error naming both series.
 */
export async function mergeStored(db: Db, query: SeriesQuery, budget: MergeBudget): Promise<MergeResult> {
  const merger = new ProfileMerger();
  const warnings: string[] = [];
  let merged = 0;
  let first: string | undefined;
  const stream = readProfiles(db, query, budget.limits.maxMergeProfiles + 1);
  for await (const { item: stored, profile } of decodeAhead(stream, (p) => p.blob, budget.limits.maxProfileBytes)) {
    budget.signal?.throwIfAborted();
    const at = `${formatSeries(stored.series.labels)} at ${new Date(stored.timestampMs).toISOString()}`;
    const stop = stopReason(merged, budget);
    if (stop) {
      warnings.push(`${stop}; merged the oldest ${merged} profiles, stopping before ${at}: narrow the range`);
      break;
    }
    first ??= at;
    await addStored(merger, profile, at, first);
    merged++;
  }
  return { profile: merged > 0 ? merger.result() : null, merged, warnings };
}

/** Why the merge must stop before its next profile, or undefined while it may go on. */
function stopReason(merged: number, { limits, deadline }: MergeBudget): string | undefined {
  if (merged === limits.maxMergeProfiles) return `the range holds more than ${merged} profiles (PROFD_MAX_MERGE_PROFILES)`;
  if (performance.now() > deadline) return `the merge reached its time limit of ${formatDuration(limits.timeoutMs)} (PROFD_QUERY_TIMEOUT)`;
  return undefined;
}

/** Decodes a stored blob; one that no longer decodes is an `execution` error naming the profile. */
export function decodeStored(blob: Uint8Array, at: string, maxBytes: number): Profile {
  try {
    return decodeProfile(blob, { maxBytes });
  } catch (err) {
    if (isProfileError(err)) throw new ApiError('execution', `the stored profile ${at} cannot be read: ${err.message}`);
    throw err;
  }
}

async function addStored(merger: ProfileMerger, profile: Promise<Profile>, at: string, first: string): Promise<void> {
  try {
    merger.add(await profile);
  } catch (err) {
    if (!isProfileError(err)) throw err;
    if (err.code !== 'incompatible') throw new ApiError('execution', `the stored profile ${at} cannot be read: ${err.message}`);
    throw new ApiError(
      'bad_data',
      `the selector matches profiles that cannot be merged: ${first} and ${at} differ (${err.message}); ` +
        'select one profile type, e.g. heap{…}',
    );
  }
}

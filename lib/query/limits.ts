import { env } from '../config/env';

/** What bounds the work of one API request; every limit is an environment variable (lib/config/env.ts). */
export interface QueryLimits {
  /** Most profiles one merge folds together (PROFD_MAX_MERGE_PROFILES). */
  readonly maxMergeProfiles: number;
  /** Most series one query returns (PROFD_MAX_QUERY_SERIES). */
  readonly maxSeries: number;
  /** Widest time range one query reads, in ms (PROFD_MAX_QUERY_RANGE). */
  readonly maxRangeMs: number;
  /** Wall time after which a merge returns what it has, in ms (PROFD_QUERY_TIMEOUT). */
  readonly timeoutMs: number;
  /** Largest profile or request body accepted, in bytes (PROFD_MAX_PROFILE_BYTES). */
  readonly maxProfileBytes: number;
}

/** The limits of this process, from its environment (read and validated once). */
export function queryLimits(): QueryLimits {
  const e = env();
  return {
    maxMergeProfiles: e.maxMergeProfiles,
    maxSeries: e.maxQuerySeries,
    maxRangeMs: e.maxQueryRangeMs,
    timeoutMs: e.queryTimeoutMs,
    maxProfileBytes: e.maxProfileBytes,
  };
}

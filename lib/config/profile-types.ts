import { posix } from 'node:path';
import type { ValueType } from '../pprof/model';
import type { RawProfileType, RawScrapeConfig } from './scrape-config-schema';

/** One profile type a job scrapes from each target, with every default applied. */
export interface ProfileTypeConfig {
  /** The type's name in `pprof_config`; it becomes the series' `__name__`. */
  readonly name: string;
  readonly enabled: boolean;
  /** The URL path, `path_prefix` included. */
  readonly path: string;
  /** The `seconds` query parameter: set for CPU-like profiles, and for `delta` (the scrape interval). */
  readonly seconds: number | null;
  readonly delta: boolean;
  /** Sample types to keep (Parca's keep_sample_type); empty keeps them all. */
  readonly keepSampleTypes: readonly ValueType[];
}

/** The CPU profile's name, the one type with a default `seconds`. */
export const CPU_PROFILE = 'profile';
const CPU_DEFAULT_SECONDS = 30;

/** Conprof's default profile types: every Go `net/http/pprof` endpoint that returns protobuf. */
const DEFAULT_PROFILE_PATHS: Readonly<Record<string, string>> = {
  allocs: '/debug/pprof/allocs',
  block: '/debug/pprof/block',
  goroutine: '/debug/pprof/goroutine',
  heap: '/debug/pprof/heap',
  mutex: '/debug/pprof/mutex',
  [CPU_PROFILE]: '/debug/pprof/profile',
  threadcreate: '/debug/pprof/threadcreate',
};

/**
 * The CPU profile's default length: Go's 30 s, cut to the whole seconds that fit inside the timeout
 * (a 10 s timeout profiles for 9 s). 0 when not even one second fits.
 */
function defaultCpuSeconds(timeoutMs: number): number {
  return Math.min(CPU_DEFAULT_SECONDS, Math.ceil(timeoutMs / 1000) - 1);
}

/**
 * Merges a job's `profiling_config` over the defaults as Conprof and Parca do: types the job does not
 * name keep their defaults, named ones default to enabled at their usual path, and `path_prefix` goes
 * in front of every path. Returns the types sorted by name; a custom type without a path is left with
 * an empty one for the rules to report.
 */
export function resolveProfileTypes(job: RawScrapeConfig, intervalMs: number, timeoutMs: number): ProfileTypeConfig[] {
  const given = job.profiling_config?.pprof_config ?? {};
  const names = [...new Set([...Object.keys(DEFAULT_PROFILE_PATHS), ...Object.keys(given)])].sort();
  const prefix = job.profiling_config?.path_prefix ?? '';
  return names.map((name) => resolveOne(name, given[name] ?? {}, prefix, intervalMs, timeoutMs));
}

function resolveOne(name: string, raw: RawProfileType, prefix: string, intervalMs: number, timeoutMs: number): ProfileTypeConfig {
  const path = raw.path ?? DEFAULT_PROFILE_PATHS[name] ?? '';
  const delta = raw.delta ?? false;
  let seconds = raw.seconds ?? null;
  if (delta && seconds === null) seconds = Math.floor(intervalMs / 1000);
  else if (name === CPU_PROFILE && seconds === null) seconds = defaultCpuSeconds(timeoutMs);
  return {
    name,
    enabled: raw.enabled ?? true,
    path: prefix && path ? posix.join(prefix, path) : path,
    seconds,
    delta,
    keepSampleTypes: raw.keep_sample_type ?? [],
  };
}

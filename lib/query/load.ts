/**
 * The three ways `/api/v1/query` picks a profile, as Conprof has them: one profile (`single`), every
 * profile of a range merged (`merge`), or one such selection subtracted from another (`diff`).
 */
import { ApiError } from '../api/errors';
import { readProfiles, type Db } from '../db';
import { diffProfiles, isProfileError, scaleProfile, type Profile } from '../pprof';
import { printSelector, type LabelMatcher } from '../selector';
import { formatDuration } from '../time/duration';
import { formatSeries } from './labelset';
import { decodeStored, mergeStored, type MergeBudget } from './merge';

/** How far after `time` a single-profile query looks: scrapes land a little after the moment asked for. */
const SINGLE_WINDOW_MS = 5 * 60_000;

/** One side of a query: the first profile at or after a time, or a range merged. */
export type Selection =
  | { readonly mode: 'single'; readonly matchers: readonly LabelMatcher[]; readonly timeMs: number }
  | { readonly mode: 'merge'; readonly matchers: readonly LabelMatcher[]; readonly fromMs: number; readonly toMs: number };

/** What `/api/v1/query` asks for: a selection, or `b` minus `a`. */
export type ProfileQuery = Selection | { readonly mode: 'diff'; readonly a: Selection; readonly b: Selection };

/**
 * The profile to report on (null when nothing matched), lines describing where it came from, and
 * warnings. A diff's profile is b minus a; its two sides are kept too, for the flame graph, which
 * shows both.
 */
export interface LoadedProfile {
  readonly profile: Profile | null;
  readonly sides?: DiffSides;
  readonly description: string[];
  readonly warnings: string[];
}

/** The two sides of a diff as loaded, null where nothing matched. */
export interface DiffSides {
  readonly a: Profile | null;
  readonly b: Profile | null;
}

/** Loads what a query selects; an empty selection is not an error but a null profile and a warning. */
export async function loadProfile(db: Db, query: ProfileQuery, budget: MergeBudget): Promise<LoadedProfile> {
  if (query.mode !== 'diff') return loadSelection(db, query, budget);
  const a = await loadSelection(db, query.a, budget);
  const b = await loadSelection(db, query.b, budget);
  const prefixed = (side: string, lines: readonly string[]) => lines.map((line) => `${side}: ${line}`);
  let difference: Profile | null | undefined;
  return {
    // Computed on first use: the flame graph grows its tree from the two sides and never needs it.
    get profile() {
      return (difference ??= subtract(a.profile, b.profile));
    },
    sides: { a: a.profile, b: b.profile },
    description: [...prefixed('a', a.description), ...prefixed('b', b.description), 'Diff: b minus a'],
    warnings: [...prefixed('a', a.warnings), ...prefixed('b', b.warnings)],
  };
}

function loadSelection(db: Db, selection: Selection, budget: MergeBudget): Promise<LoadedProfile> {
  return selection.mode === 'merge' ? loadMerged(db, selection, budget) : loadSingle(db, selection, budget);
}

async function loadMerged(db: Db, { matchers, fromMs, toMs }: Selection & { mode: 'merge' }, budget: MergeBudget): Promise<LoadedProfile> {
  const result = await mergeStored(db, { matchers, fromMs, toMs }, budget);
  const what = `${printSelector(matchers)} from ${iso(fromMs)} to ${iso(toMs)}`;
  if (result.profile) {
    return { profile: result.profile, description: [`Merged: ${result.merged} profiles of ${what}`], warnings: result.warnings };
  }
  // Nothing merged: nothing matched, or the time limit came first (and its warning says so).
  return { profile: null, description: [], warnings: result.warnings.length > 0 ? result.warnings : [`no profile matches ${what}`] };
}

async function loadSingle(db: Db, { matchers, timeMs }: Selection & { mode: 'single' }, budget: MergeBudget): Promise<LoadedProfile> {
  for await (const stored of readProfiles(db, { matchers, fromMs: timeMs, toMs: timeMs + SINGLE_WINDOW_MS }, 1)) {
    const at = `${formatSeries(stored.series.labels)} at ${iso(stored.timestampMs)}`;
    return { profile: decodeStored(stored.blob, at, budget.limits.maxProfileBytes), description: [`Profile: ${at}`], warnings: [] };
  }
  const what = `${printSelector(matchers)} from ${iso(timeMs)} to ${formatDuration(SINGLE_WINDOW_MS)} later`;
  return { profile: null, description: [], warnings: [`no profile matches ${what}`] };
}

/** b minus a, as pprof's -diff_base computes it; a missing side contributes nothing. */
function subtract(a: Profile | null, b: Profile | null): Profile | null {
  if (!a || !b) return a ? scaleProfile(a, -1) : b;
  return asDiffError(() => diffProfiles(a, b));
}

/** Runs a computation over both sides of a diff, turning "the sides do not match" into the API's bad_data. */
export function asDiffError<T>(compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (!isProfileError(err, 'incompatible')) throw err;
    throw new ApiError('bad_data', `cannot diff the two sides: ${err.message}; select the same profile type on both`);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

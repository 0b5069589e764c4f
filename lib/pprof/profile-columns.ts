import type { FunctionColumns, LocationColumns } from './decode-columns';
import type { SampleColumns } from './decode-sample-columns';
import type { ProfileHeader } from './decode-scan';
import { materialise } from './columns-model';
import { columnsFromModel } from './model-columns';
import type { Mapping, Profile } from './model';

/**
 * A profile's samples, locations and functions as typed-array columns, every reference a position:
 * what decodeProfile builds, and what top and the call tree read. Strings are string-table indices
 * into `strings`, functions' `index` and locations' `index` find positions by id.
 */
export interface ProfileColumns {
  readonly strings: { at(index: number): string | undefined };
  readonly mappings: readonly Mapping[];
  readonly functions: FunctionColumns;
  readonly locations: LocationColumns;
  readonly samples: SampleColumns;
}

/** Strings by index, as the columns' string references number them. */
export interface ColumnStrings {
  readonly count: number;
  at(index: number): string | undefined;
}

/**
 * The columns a columnar profile holds: decoded from a profile's bytes, its strings still in them
 * (a StringTable), or built by a merge, its strings the merge's StringPool.
 */
export interface DecodedColumns extends ProfileColumns {
  readonly strings: ColumnStrings;
}

/** The columns of each profile decodeProfile or a merge returned; a spread copy is not one of them. */
const decodedColumns = new WeakMap<Profile, DecodedColumns>();

/**
 * The Profile for decoded or merged columns. Its samples, locations and functions become objects only when
 * first read, and are then kept: top, the call tree, merging and encoding read the columns instead,
 * so decoding allocates a handful of typed arrays rather than an object per sample, location, line
 * and function (google-pprof__large.cpu: about 200,000, which made half its decode time collection).
 * The getters are own enumerable properties, so `{ ...profile }` copies the model.
 */
export function columnarProfile(header: ProfileHeader, columns: DecodedColumns): Profile {
  let model: Pick<Profile, 'samples' | 'locations' | 'functions'> | null = null;
  const built = () => (model ??= materialise(columns));
  const profile: Profile = {
    ...header,
    mappings: columns.mappings,
    get samples() { return built().samples; },
    get locations() { return built().locations; },
    get functions() { return built().functions; },
  };
  decodedColumns.set(profile, columns);
  return profile;
}

/** The columns the profile was decoded or merged into, or undefined for a profile built as objects. */
export function decodedColumnsOf(profile: Profile): DecodedColumns | undefined {
  return decodedColumns.get(profile);
}

/** The profile's columns: those it was decoded into, else built from its model. */
export function columnsOf(profile: Profile): ProfileColumns {
  return decodedColumns.get(profile) ?? columnsFromModel(profile);
}

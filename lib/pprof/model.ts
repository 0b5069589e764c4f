/**
 * The one in-memory profile model: a pprof profile with every ID and string-table index resolved into
 * object references, the same shape as google/pprof's `profile.Profile`. Merge, scale and diff build
 * new profiles rather than mutating one. A decoded profile holds its samples, locations and functions
 * as columns and builds these objects only when first read (lib/pprof/profile-columns.ts): top, the
 * call tree, merging and encoding read its columns.
 *
 * int64 sample values, periods and durations are JS numbers: exact up to 2^53, which no real profile
 * exceeds. Addresses and `timeNanos` are bigints because real ones do (kernel addresses, epoch nanos).
 */

/** A (type, unit) pair such as `cpu/nanoseconds` or `alloc_space/bytes`. */
export interface ValueType {
  readonly type: string;
  readonly unit: string;
}

/** A binary mapped into the profiled process. */
export interface Mapping {
  readonly id: number;
  readonly memoryStart: bigint;
  readonly memoryLimit: bigint;
  readonly fileOffset: bigint;
  readonly file: string;
  readonly buildId: string;
  readonly hasFunctions: boolean;
  readonly hasFilenames: boolean;
  readonly hasLineNumbers: boolean;
  readonly hasInlineFrames: boolean;
}

/** A source-level function. */
export interface Func {
  readonly id: number;
  readonly name: string;
  readonly systemName: string;
  readonly filename: string;
  readonly startLine: number;
}

/** One source line of a location. */
export interface Line {
  readonly fn: Func;
  readonly line: number;
  readonly column: number;
}

/**
 * One program counter. `lines` is innermost first: lines[0] is the inlined callee and the last entry
 * is the function the code was inlined into, exactly as in profile.proto.
 */
export interface Location {
  readonly id: number;
  readonly mapping: Mapping | null;
  readonly address: bigint;
  readonly lines: readonly Line[];
  readonly isFolded: boolean;
}

/** A sample label: a string label has `str`, a numeric one has `num` (and optionally `numUnit`). */
export interface SampleLabel {
  readonly key: string;
  readonly str: string;
  readonly num: number;
  readonly numUnit: string;
}

/** One stack with its values, leaf first, one value per sample type. */
export interface Sample {
  readonly locations: readonly Location[];
  readonly values: readonly number[];
  readonly labels: readonly SampleLabel[];
}

/** A whole profile. `defaultSampleType` is the type name or "" when the producer set none. */
export interface Profile {
  readonly sampleTypes: readonly ValueType[];
  readonly defaultSampleType: string;
  readonly samples: readonly Sample[];
  readonly mappings: readonly Mapping[];
  readonly locations: readonly Location[];
  readonly functions: readonly Func[];
  readonly dropFrames: string;
  readonly keepFrames: string;
  readonly timeNanos: bigint;
  readonly durationNanos: number;
  readonly periodType: ValueType | null;
  readonly period: number;
  readonly comments: readonly string[];
  readonly docUrl: string;
}

import type { Func, Line, Location, Profile, Sample } from './model';
import type { ProfileColumns } from './profile-columns';

/** Shared by every location or sample with no lines, locations or values: the model is read-only. */
const NO_LINES: Line[] = Object.freeze([]) as unknown as Line[];
const NO_LOCATIONS: Location[] = Object.freeze([]) as unknown as Location[];
const NO_VALUES: number[] = Object.freeze([]) as unknown as number[];

/**
 * The resolved object model of decoded columns, for the callers that walk objects. The columns were
 * checked when decoded, so every string index and position is in range.
 */
export function materialise(columns: ProfileColumns): Pick<Profile, 'samples' | 'locations' | 'functions'> {
  const functions = toFunctions(columns);
  const locations = toLocations(columns, functions);
  return { samples: toSamples(columns, locations), locations, functions };
}

function toFunctions({ functions: { count, fields }, strings }: ProfileColumns): Func[] {
  const out = new Array<Func>(count);
  const text = (index: number) => strings.at(index) as string;
  for (let i = 0; i < count; i++) {
    const f = 5 * i;
    out[i] = { id: fields[f], name: text(fields[f + 1]), systemName: text(fields[f + 2]), filename: text(fields[f + 3]), startLine: fields[f + 4] };
  }
  return out;
}

function toLocations({ locations, mappings }: ProfileColumns, functions: readonly Func[]): Location[] {
  const { count, ids, mapping, folded, lineStart, lines } = locations;
  const out = new Array<Location>(count);
  for (let i = 0; i < count; i++) {
    const lineCount = lineStart[i + 1] - lineStart[i];
    // Exact-size arrays: `[]` and push would reserve 17 slots for the usual one line.
    const locationLines: Line[] = lineCount === 0 ? NO_LINES : new Array<Line>(lineCount);
    for (let j = 0; j < lineCount; j++) {
      const l = 3 * (lineStart[i] + j);
      locationLines[j] = { fn: functions[lines[l]], line: lines[l + 1], column: lines[l + 2] };
    }
    const address = locations.addressOf(i);
    out[i] = {
      id: ids[i],
      mapping: mapping[i] < 0 ? null : mappings[mapping[i]],
      address: typeof address === 'bigint' ? address : BigInt(address),
      lines: locationLines,
      isFolded: folded[i] === 1,
    };
  }
  return out;
}

function toSamples({ samples }: ProfileColumns, locations: readonly Location[]): Sample[] {
  const { count, typeCount, stackStart, stacks, values, labelIndex, labelLists } = samples;
  const out = new Array<Sample>(count);
  for (let i = 0; i < count; i++) {
    const depth = stackStart[i + 1] - stackStart[i];
    const stack = depth === 0 ? NO_LOCATIONS : new Array<Location>(depth);
    for (let j = 0; j < depth; j++) stack[j] = locations[stacks[stackStart[i] + j]];
    const sampleValues = typeCount === 0 ? NO_VALUES : new Array<number>(typeCount);
    for (let j = 0; j < typeCount; j++) {
      const value = values[typeCount * i + j];
      // Integers that fit 32 bits are stored as such, so V8 keeps them as small integers.
      sampleValues[j] = (value | 0) === value ? value | 0 : value;
    }
    out[i] = { locations: stack, values: sampleValues, labels: labelLists[labelIndex[i]] };
  }
  return out;
}

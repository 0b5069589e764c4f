import { unwrapProfileBytes, DEFAULT_MAX_PROFILE_BYTES } from './container';
import { LocationFields } from './decode-locations';
import { LabelSets, SampleFields } from './decode-samples';
import { decodeAll, readHeader, Scan } from './decode-scan';
import { FunctionFields, IdIndex, indexById, readFunction, readMapping, readValueType, StringTable } from './decode-tables';
import type { Func, Line, Location, Mapping, Profile, Sample } from './model';
import { WireReader } from './wire';

/** Shared by every location or sample with no lines, locations or values: the model is read-only. */
const NO_LINES: Line[] = Object.freeze([]) as unknown as Line[];
const NO_LOCATIONS: Location[] = Object.freeze([]) as unknown as Location[];
const NO_VALUES: number[] = Object.freeze([]) as unknown as number[];

/** Options for decodeProfile. */
export interface DecodeOptions {
  /** Largest decompressed size accepted, in bytes. */
  maxBytes?: number;
}

/**
 * Decodes a pprof profile (gzip-compressed or raw protobuf) into the resolved model, refusing anything
 * google/pprof's `profile.Parse` would refuse, with a ProfileError that names the problem.
 */
export function decodeProfile(bytes: Uint8Array, options: DecodeOptions = {}): Profile {
  const raw = unwrapProfileBytes(bytes, options.maxBytes ?? DEFAULT_MAX_PROFILE_BYTES);
  const reader = new WireReader(raw);
  return resolveProfile(reader, new Scan().read(reader));
}

/** Resolves IDs and string indices into references, checking each one as google/pprof's CheckValid does. */
function resolveProfile(r: WireReader, scan: Scan): Profile {
  const strings = new StringTable(r, scan.strings);
  const sampleTypes = decodeAll(r, scan.sampleTypes, (i) => readValueType(r, strings, `sample_type ${i}`));
  const mappings = decodeAll(r, scan.mappings, (i) => readMapping(r, strings, i));
  const mappingIndex = indexById(mappings, 'mapping');
  const functionFields = new FunctionFields();
  const functions = decodeAll(r, scan.functions, (i) => readFunction(r, strings, i, functionFields));
  const functionIndex = indexById(functions, 'function');
  const fields = new LocationFields();
  const locations = decodeAll(r, scan.locations, () => {
    fields.read(r);
    return toLocation(fields, mappings, mappingIndex, functions, functionIndex);
  });
  const samples = readSamples(r, scan, strings, sampleTypes.length, locations);
  return { ...readHeader(r, scan, strings, sampleTypes), samples, mappings, locations, functions };
}

/** The Location the fields describe, its mapping and functions looked up by id. */
function toLocation(fields: LocationFields, mappings: Mapping[], mappingIndex: IdIndex, functions: Func[], functionIndex: IdIndex): Location {
  const mapping = fields.mappingId === 0 ? null : mappings[mappingIndex.get(fields.mappingId)];
  if (mapping === undefined) throw fields.missingMapping();
  const { id, address, isFolded, lineCount } = fields;
  // Exact-size arrays: `[]` and push would reserve 17 slots for the usual one line.
  const lines: Line[] = lineCount === 0 ? NO_LINES : new Array<Line>(lineCount);
  for (let j = 0; j < lineCount; j++) {
    const fn = functions[functionIndex.get(fields.lines.at(3 * j))];
    if (fn === undefined) throw fields.missingFunction(j);
    lines[j] = { fn, line: fields.lines.at(3 * j + 1), column: fields.lines.at(3 * j + 2) };
  }
  return { id, mapping, address: BigInt(address), lines, isFolded };
}

/** Decodes the samples straight into the model, sharing one array per distinct label set. */
function readSamples(r: WireReader, scan: Scan, strings: StringTable, typeCount: number, locations: Location[]): Sample[] {
  const locationIndex = indexById(locations, 'location');
  const fields = new SampleFields();
  const labelSets = new LabelSets(r, strings);
  return decodeAll(r, scan.samples, (i) => {
    fields.read(r, i, typeCount);
    const { ids, values } = fields;
    const stack = ids.count === 0 ? NO_LOCATIONS : new Array<Location>(ids.count);
    for (let j = 0; j < ids.count; j++) {
      const location = locations[locationIndex.get(ids.at(j))];
      if (location === undefined) throw fields.missingLocation(i, j);
      stack[j] = location;
    }
    return { locations: stack, values: values.count === 0 ? NO_VALUES : values.toArray(), labels: labelSets.of(fields, i) };
  });
}

import type Long from 'long';
import { unwrapProfileBytes, DEFAULT_MAX_PROFILE_BYTES } from './container';
import { ProfileError } from './errors';
import type { Func, Line, Location, Mapping, Profile, Sample, SampleLabel, ValueType } from './model';
import { ProfileMessage } from './schema';

/** Options for decodeProfile. */
export interface DecodeOptions {
  /** Largest decompressed size accepted, in bytes. */
  maxBytes?: number;
}

type Int64 = number | Long;

interface WireValueType { type: Int64; unit: Int64 }
interface WireLabel { key: Int64; str: Int64; num: Int64; numUnit: Int64 }
interface WireSample { locationId: Int64[]; value: Int64[]; label: WireLabel[] }
interface WireMapping {
  id: Int64; memoryStart: Int64; memoryLimit: Int64; fileOffset: Int64; filename: Int64; buildId: Int64;
  hasFunctions: boolean; hasFilenames: boolean; hasLineNumbers: boolean; hasInlineFrames: boolean;
}
interface WireLine { functionId: Int64; line: Int64; column: Int64 }
interface WireLocation { id: Int64; mappingId: Int64; address: Int64; line: WireLine[]; isFolded: boolean }
interface WireFunction { id: Int64; name: Int64; systemName: Int64; filename: Int64; startLine: Int64 }
interface WireProfile {
  sampleType: WireValueType[]; sample: WireSample[]; mapping: WireMapping[]; location: WireLocation[];
  function: WireFunction[]; stringTable: string[]; dropFrames: Int64; keepFrames: Int64; timeNanos: Int64;
  durationNanos: Int64; periodType: WireValueType | null; period: Int64; comment: Int64[];
  defaultSampleType: Int64; docUrl: Int64;
}

/**
 * Decodes a pprof profile (gzip-compressed or raw protobuf) into the resolved model, refusing anything
 * google/pprof's `profile.Parse` would refuse, with a ProfileError that names the problem.
 */
export function decodeProfile(bytes: Uint8Array, options: DecodeOptions = {}): Profile {
  const raw = unwrapProfileBytes(bytes, options.maxBytes ?? DEFAULT_MAX_PROFILE_BYTES);
  return resolveProfile(parseWire(raw));
}

function parseWire(raw: Uint8Array): WireProfile {
  try {
    return ProfileMessage.decode(raw) as unknown as WireProfile;
  } catch (err) {
    const message = (err as Error).message;
    const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(message);
    if (range) {
      throw new ProfileError('truncated', `not a complete pprof profile: truncated at byte ${range[3]} (a field needs ${range[2]} more bytes from byte ${range[1]})`);
    }
    throw new ProfileError('not_pprof', `not gzip or pprof protobuf: ${message}`);
  }
}

function num(v: Int64): number {
  return typeof v === 'number' ? v : v.toNumber();
}

function big(v: Int64, signed = false): bigint {
  if (typeof v === 'number') return BigInt(v);
  const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return signed ? BigInt.asIntN(64, bits) : bits;
}

/** Resolves IDs and string indices into references, checking each one as google/pprof's CheckValid does. */
function resolveProfile(wire: WireProfile): Profile {
  const strings = wire.stringTable;
  if (strings.length > 0 && strings[0] !== '') {
    throw new ProfileError('invalid_value', `string_table[0] must be "" but is ${JSON.stringify(strings[0].slice(0, 40))}`);
  }
  const str = (index: Int64, what: string): string => {
    const i = num(index);
    if (i === 0) return '';
    if (i < 0 || i >= strings.length) {
      throw new ProfileError('invalid_reference', `${what} refers to string ${i}, out of range of the string table (${strings.length} entries)`);
    }
    return strings[i];
  };
  const valueType = (v: WireValueType, what: string): ValueType => ({ type: str(v.type, what), unit: str(v.unit, what) });

  const sampleTypes = wire.sampleType.map((v, i) => valueType(v, `sample_type ${i}`));
  const mappings = wire.mapping.map((m, i) => resolveMapping(m, i, str));
  const mappingById = indexById(mappings, 'mapping');
  const functions = wire.function.map((f, i) => resolveFunction(f, i, str));
  const functionById = indexById(functions, 'function');
  const locations = wire.location.map((l) => resolveLocation(l, mappingById, functionById));
  const locationById = indexById(locations, 'location');
  const samples = wire.sample.map((s, i) => resolveSample(s, i, sampleTypes.length, locationById, str));

  return {
    sampleTypes,
    defaultSampleType: str(wire.defaultSampleType, 'default_sample_type'),
    samples,
    mappings,
    locations,
    functions,
    dropFrames: str(wire.dropFrames, 'drop_frames'),
    keepFrames: str(wire.keepFrames, 'keep_frames'),
    timeNanos: big(wire.timeNanos, true),
    durationNanos: num(wire.durationNanos),
    periodType: wire.periodType ? valueType(wire.periodType, 'period_type') : null,
    period: num(wire.period),
    comments: wire.comment.map((c, i) => str(c, `comment ${i}`)),
    docUrl: str(wire.docUrl, 'doc_url'),
  };
}

type StringLookup = (index: Int64, what: string) => string;

function resolveMapping(m: WireMapping, i: number, str: StringLookup): Mapping {
  return {
    id: num(m.id),
    memoryStart: big(m.memoryStart),
    memoryLimit: big(m.memoryLimit),
    fileOffset: big(m.fileOffset),
    file: str(m.filename, `mapping ${i} filename`),
    buildId: str(m.buildId, `mapping ${i} build_id`),
    hasFunctions: m.hasFunctions,
    hasFilenames: m.hasFilenames,
    hasLineNumbers: m.hasLineNumbers,
    hasInlineFrames: m.hasInlineFrames,
  };
}

function resolveFunction(f: WireFunction, i: number, str: StringLookup): Func {
  return {
    id: num(f.id),
    name: str(f.name, `function ${i} name`),
    systemName: str(f.systemName, `function ${i} system_name`),
    filename: str(f.filename, `function ${i} filename`),
    startLine: num(f.startLine),
  };
}

function resolveLocation(
  l: WireLocation,
  mappingById: Map<number, Mapping>,
  functionById: Map<number, Func>,
): Location {
  const id = num(l.id);
  const mappingId = num(l.mappingId);
  const mapping = mappingId === 0 ? null : mappingById.get(mappingId);
  if (mapping === undefined) {
    throw new ProfileError('invalid_reference', `location ${id} references missing mapping ${mappingId}`);
  }
  const lines = l.line.map((ln): Line => {
    const functionId = num(ln.functionId);
    const fn = functionById.get(functionId);
    if (!fn) throw new ProfileError('invalid_reference', `location ${id} references missing function ${functionId}`);
    return { fn, line: num(ln.line), column: num(ln.column) };
  });
  return { id, mapping, address: big(l.address), lines, isFolded: l.isFolded };
}

function resolveSample(
  s: WireSample,
  i: number,
  typeCount: number,
  locationById: Map<number, Location>,
  str: StringLookup,
): Sample {
  if (s.value.length !== typeCount) {
    throw new ProfileError('invalid_value', `sample ${i} has ${s.value.length} values but the profile has ${typeCount} sample types`);
  }
  const locations = s.locationId.map((lid) => {
    const location = locationById.get(num(lid));
    if (!location) throw new ProfileError('invalid_reference', `sample ${i} references missing location ${num(lid)}`);
    return location;
  });
  const labels = s.label.map((l, j): SampleLabel => ({
    key: str(l.key, `sample ${i} label ${j} key`),
    str: str(l.str, `sample ${i} label ${j} value`),
    num: num(l.num),
    numUnit: str(l.numUnit, `sample ${i} label ${j} unit`),
  }));
  return { locations, values: s.value.map(num), labels };
}

/** Maps each entry's id to it, refusing the reserved id 0 and duplicates. */
function indexById<T extends { id: number }>(entries: readonly T[], kind: string): Map<number, T> {
  const byId = new Map<number, T>();
  for (const entry of entries) {
    if (entry.id === 0) throw new ProfileError('invalid_value', `a ${kind} has the reserved id 0`);
    if (byId.has(entry.id)) throw new ProfileError('invalid_value', `two ${kind}s share the id ${entry.id}`);
    byId.set(entry.id, entry);
  }
  return byId;
}

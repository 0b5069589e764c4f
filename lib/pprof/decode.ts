import { unwrapProfileBytes, DEFAULT_MAX_PROFILE_BYTES } from './container';
import { FunctionColumns, LocationColumns } from './decode-columns';
import { SampleColumns } from './decode-sample-columns';
import { decodeAll, readHeader, Scan, type ProfileHeader } from './decode-scan';
import { indexById, readMapping, readValueType, StringTable } from './decode-tables';
import type { Profile } from './model';
import { columnarProfile, type DecodedColumns } from './profile-columns';
import { WireReader } from './wire';

/** Options for decodeProfile. */
export interface DecodeOptions {
  /** Largest decompressed size accepted, in bytes. */
  maxBytes?: number;
}

/**
 * What decoding needs only while it runs, reused from profile to profile: the scan's lists, and room
 * for the stacks and lines, of which each profile keeps exact-size copies. Growing them afresh for each
 * profile took 9% of decoding dd-trace-go__big-heap.pprof and 6% of google-pprof__large.cpu (CPU profiles).
 */
const room = { scan: new Scan(), stacks: new Int32Array(4096), lines: new Float64Array(4096) };

/**
 * Decodes a pprof profile (gzip-compressed or raw protobuf), refusing anything google/pprof's
 * `profile.Parse` would refuse, with a ProfileError that names the problem. Every reference is
 * checked here, as google/pprof's CheckValid does, in dependency order; the profile's samples,
 * locations and functions are kept as columns (lib/pprof/profile-columns.ts).
 */
export function decodeProfile(bytes: Uint8Array, options: DecodeOptions = {}): Profile {
  const { header, columns } = decodeColumns(bytes, options);
  return columnarProfile(header, columns);
}

/** A decoded profile's header and columns, before they become a Profile. */
export interface HeaderAndColumns {
  readonly header: ProfileHeader;
  readonly columns: DecodedColumns;
}

/** Decodes and checks a profile as decodeProfile does, returning its header and columns. */
export function decodeColumns(bytes: Uint8Array, options: DecodeOptions = {}): HeaderAndColumns {
  const raw = unwrapProfileBytes(bytes, options.maxBytes ?? DEFAULT_MAX_PROFILE_BYTES);
  const r = new WireReader(raw);
  const scan = room.scan.read(r);
  const strings = new StringTable(r, scan.strings.copy());
  const sampleTypes = decodeAll(r, scan.sampleTypes, (i) => readValueType(r, strings, `sample_type ${i}`));
  const mappings = decodeAll(r, scan.mappings, (i) => readMapping(r, strings, i));
  const functions = new FunctionColumns();
  functions.read(r, scan.functions, strings);
  const locations = new LocationColumns();
  locations.lines = room.lines;
  locations.read(r, scan.locations, indexById(mappings, 'mapping'), functions.index);
  room.lines = locations.lines;
  locations.lines = room.lines.slice(0, 3 * locations.lineStart[locations.count]);
  const samples = new SampleColumns();
  samples.stacks = room.stacks;
  samples.read(r, scan.samples, strings, sampleTypes.length, locations.index);
  room.stacks = samples.stacks;
  samples.stacks = room.stacks.slice(0, samples.stackStart[samples.count]);
  return { header: readHeader(r, scan, strings, sampleTypes), columns: { strings, mappings, functions, locations, samples } };
}

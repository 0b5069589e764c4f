import { constants, gzipSync } from 'node:zlib';
import { ColumnsWriter, writeLabel } from './encode-columns';
import { GZIP_CHUNK_BYTES, GzipMember, gzipParallel } from './gzip-parallel';
import type { Func, Location, Mapping, Profile, Sample, ValueType } from './model';
import { decodedColumnsOf } from './profile-columns';
import { WireWriter } from './wire-writer';

/**
 * Encodes a profile as raw (uncompressed) pprof protobuf bytes.
 *
 * A decoded profile is written from its columns (lib/pprof/encode-columns.ts), any other from its
 * model, to the same bytes. Written with WireWriter rather than through protobufjs, which needs the
 * profile rebuilt as message objects first: the merge of 60 medium synthetic profiles (34,458 samples,
 * 1.6 MB) encodes in 8 ms against protobufjs' 70 ms, google-pprof__large.cpu in 34 against 119 ms
 * (medians of 20, warm). test/unit/pprof-encode.test.ts keeps protobufjs as the reference.
 */
export function encodeProfileRaw(profile: Profile): Uint8Array {
  return writeProfile(profile, () => {}).bytes();
}

/**
 * Writes the profile, calling `settled` between top-level messages of the bulk (samples, locations),
 * when everything written so far is final.
 */
function writeProfile(profile: Profile, settled: (w: WireWriter) => void): WireWriter {
  const columns = decodedColumnsOf(profile);
  const entities = columns
    ? columns.samples.count + columns.locations.count + columns.functions.count
    : profile.samples.length + profile.locations.length + profile.functions.length;
  const w = new WireWriter(sizeHint(entities));
  const settle = () => settled(w);
  const strings = new StringTable();
  const s = (value: string) => strings.index(value);
  // Indexed loops: until V8 optimises them, for-of loops allocate an iterator result per entry.
  for (const type of profile.sampleTypes) writeValueType(w, 1, type, strings);
  const fromColumns = columns && new ColumnsWriter(w, columns, s);
  if (fromColumns) fromColumns.samples(settle);
  else {
    for (let i = 0; i < profile.samples.length; i++) {
      writeSample(w, profile.samples[i], strings);
      settle();
    }
  }
  for (const mapping of profile.mappings) writeMapping(w, mapping, strings);
  if (fromColumns) {
    fromColumns.locations(settle);
    fromColumns.functions();
  } else {
    for (let i = 0; i < profile.locations.length; i++) {
      writeLocation(w, profile.locations[i]);
      settle();
    }
    for (let i = 0; i < profile.functions.length; i++) writeFunction(w, profile.functions[i], strings);
  }
  w.uint(7, s(profile.dropFrames));
  w.uint(8, s(profile.keepFrames));
  w.big(9, profile.timeNanos);
  w.uint(10, profile.durationNanos);
  if (profile.periodType) writeValueType(w, 11, profile.periodType, strings);
  w.uint(12, profile.period);
  w.packed(13, profile.comments.map(s));
  w.uint(14, s(profile.defaultSampleType));
  w.uint(15, s(profile.docUrl));
  // Last, once every string is known: field order does not matter on the wire.
  for (const value of strings.values) w.string(6, value);
  return w;
}

/**
 * Encodes a profile as gzip-compressed pprof, the form every pprof tool reads and profd stores.
 * Compressed at zlib's fastest level, as Go's runtime/pprof writes profiles (gzip.BestSpeed): on a
 * merge of 60 large profiles (19.8 MB raw out) level 6 took 700 ms, a third of the whole merge, and
 * level 1 takes 370–430 ms for 20% more bytes (8.4 rather than 7.0 MB): less than the time saved
 * even at 100 Mbit/s. On this thread, in one piece: for small profiles (scrapes, ingest); large
 * outputs such as merges take encodeProfileAsync.
 */
export function encodeProfile(profile: Profile): Uint8Array {
  return gzipSync(encodeProfileRaw(profile), { level: constants.Z_BEST_SPEED });
}

/**
 * encodeProfile for large outputs, such as merges: the same bytes once gunzipped, compressed in pieces
 * at once on libuv's thread pool (lib/pprof/gzip-parallel.ts), each piece handed over as soon as it is
 * written, so the pool deflates while this thread encodes the rest. With a core free, the merge of 60
 * large profiles (20.8 MB raw) took 169 ms so, 194 ms encoded first and gzipped in pieces after, and
 * 266 ms through encodeProfile, for 0.5% more bytes (medians of 31, interleaved). It costs 14% more
 * CPU (the separate CRC-32 pass, the copy into one buffer), so with both cores busy elsewhere it took
 * 5–10% longer than encodeProfile: hence encodeProfile for the many small profiles a worker scrapes.
 */
export function encodeProfileAsync(profile: Profile): Promise<Uint8Array> {
  let member: GzipMember | undefined;
  const add = (piece: Uint8Array) => (member ??= new GzipMember()).add(piece);
  const w = writeProfile(profile, (w) => w.flushTo(add, GZIP_CHUNK_BYTES));
  return member ? member.end(w.unflushed()) : gzipParallel(w.bytes());
}

/**
 * Room for the encoding, generous so the buffer rarely grows: typical Go profiles take well under 100
 * bytes per entity, strings included (google-pprof__large.cpu: 2.4 MB for 66,800 entities).
 */
function sizeHint(entities: number): number {
  return 64 * 1024 + 128 * entities;
}

/** Builds a string table with "" at index 0, each distinct string once. */
class StringTable {
  readonly values: string[] = [''];
  private readonly indices = new Map<string, number>([['', 0]]);

  index(value: string): number {
    let i = this.indices.get(value);
    if (i === undefined) {
      i = this.values.push(value) - 1;
      this.indices.set(value, i);
    }
    return i;
  }
}

function writeValueType(w: WireWriter, field: number, type: ValueType, strings: StringTable): void {
  const start = w.begin(field);
  w.uint(1, strings.index(type.type));
  w.uint(2, strings.index(type.unit));
  w.end(start);
}

function writeSample(w: WireWriter, sample: Sample, strings: StringTable): void {
  const start = w.begin(2);
  w.packedIds(1, sample.locations);
  w.packed(2, sample.values);
  for (let i = 0; i < sample.labels.length; i++) writeLabel(w, sample.labels[i], (value) => strings.index(value));
  w.end(start);
}

function writeMapping(w: WireWriter, m: Mapping, strings: StringTable): void {
  const start = w.begin(3);
  w.uint(1, m.id);
  w.big(2, m.memoryStart);
  w.big(3, m.memoryLimit);
  w.big(4, m.fileOffset);
  w.uint(5, strings.index(m.file));
  w.uint(6, strings.index(m.buildId));
  w.bool(7, m.hasFunctions);
  w.bool(8, m.hasFilenames);
  w.bool(9, m.hasLineNumbers);
  w.bool(10, m.hasInlineFrames);
  w.end(start);
}

function writeLocation(w: WireWriter, location: Location): void {
  const start = w.begin(4);
  w.uint(1, location.id);
  w.uint(2, location.mapping ? location.mapping.id : 0);
  w.big(3, location.address);
  for (let i = 0; i < location.lines.length; i++) {
    const line = location.lines[i];
    const lineStart = w.begin(4);
    w.uint(1, line.fn.id);
    w.uint(2, line.line);
    w.uint(3, line.column);
    w.end(lineStart);
  }
  w.bool(5, location.isFolded);
  w.end(start);
}

function writeFunction(w: WireWriter, fn: Func, strings: StringTable): void {
  const start = w.begin(5);
  w.uint(1, fn.id);
  const name = strings.index(fn.name);
  w.uint(2, name);
  // Most system names are the name again: comparing them spares a lookup.
  w.uint(3, fn.systemName === fn.name ? name : strings.index(fn.systemName));
  w.uint(4, strings.index(fn.filename));
  w.uint(5, fn.startLine);
  w.end(start);
}

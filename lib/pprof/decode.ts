import { unwrapProfileBytes, DEFAULT_MAX_PROFILE_BYTES } from './container';
import { ProfileError } from './errors';
import type { Func, Line, Location, Mapping, Profile, Sample, SampleLabel, ValueType } from './model';
import { LEN, NumberList, VARINT, WireReader } from './wire';

/** Shared by every location or sample with no lines, locations, values or labels: the model is read-only. */
const NO_LINES: Line[] = Object.freeze([]) as unknown as Line[];
const NO_LOCATIONS: Location[] = Object.freeze([]) as unknown as Location[];
const NO_VALUES: number[] = Object.freeze([]) as unknown as number[];
const NO_LABELS: SampleLabel[] = Object.freeze([]) as unknown as SampleLabel[];

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
  return resolveProfile(reader, scanProfile(reader));
}

/**
 * Where the messages of one repeated field lie: [start, end) pairs of byte offsets. A growable typed
 * array, because pushing onto a JS array turns slow once it outgrows V8's regular-object size (16k
 * entries): each growth then allocates in large-object space, and a big profile has 100k fields.
 */
class Ranges {
  private offsets = new Uint32Array(64);
  count = 0;

  add(r: WireReader): void {
    const outer = r.enter();
    if (2 * this.count + 2 > this.offsets.length) {
      const grown = new Uint32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[2 * this.count] = r.pos;
    this.offsets[2 * this.count + 1] = r.end;
    this.count++;
    r.leave(outer);
  }

  /** Keeps only the last range: a repeated non-repeated message field replaces, as in Go's decoder. */
  keepLast(): void {
    if (this.count > 1) {
      this.offsets.copyWithin(0, 2 * this.count - 2, 2 * this.count);
      this.count = 1;
    }
  }

  start(i: number): number {
    return this.offsets[2 * i];
  }

  end(i: number): number {
    return this.offsets[2 * i + 1];
  }
}

/**
 * The top level of a Profile message. Samples come before the locations and strings they refer to, so
 * the scan only notes where each message lies, and the messages are decoded afterwards in dependency
 * order.
 */
interface Scan {
  sampleTypes: Ranges;
  samples: Ranges;
  mappings: Ranges;
  locations: Ranges;
  functions: Ranges;
  periodType: Ranges;
  strings: Ranges;
  comments: NumberList;
  dropFrames: number;
  keepFrames: number;
  timeNanos: bigint;
  durationNanos: number;
  period: number;
  defaultSampleType: number;
  docUrl: number;
}

function scanProfile(r: WireReader): Scan {
  const scan: Scan = {
    sampleTypes: new Ranges(), samples: new Ranges(), mappings: new Ranges(), locations: new Ranges(),
    functions: new Ranges(), periodType: new Ranges(), strings: new Ranges(), comments: new NumberList(),
    dropFrames: 0, keepFrames: 0, timeNanos: 0n, durationNanos: 0, period: 0, defaultSampleType: 0, docUrl: 0,
  };
  while (r.pos < r.end) {
    switch (r.key()) {
      case 1 * 8 + LEN: scan.sampleTypes.add(r); break;
      case 2 * 8 + LEN: scan.samples.add(r); break;
      case 3 * 8 + LEN: scan.mappings.add(r); break;
      case 4 * 8 + LEN: scan.locations.add(r); break;
      case 5 * 8 + LEN: scan.functions.add(r); break;
      case 6 * 8 + LEN: scan.strings.add(r); break;
      case 7 * 8 + VARINT: scan.dropFrames = r.int(); break;
      case 8 * 8 + VARINT: scan.keepFrames = r.int(); break;
      case 9 * 8 + VARINT: scan.timeNanos = r.bigInt(); break;
      case 10 * 8 + VARINT: scan.durationNanos = r.int(); break;
      case 11 * 8 + LEN: scan.periodType.add(r); scan.periodType.keepLast(); break;
      case 12 * 8 + VARINT: scan.period = r.int(); break;
      case 13 * 8 + VARINT: scan.comments.push(r.int()); break;
      case 13 * 8 + LEN: r.readPacked(true, scan.comments); break;
      case 14 * 8 + VARINT: scan.defaultSampleType = r.int(); break;
      case 15 * 8 + VARINT: scan.docUrl = r.int(); break;
      default: r.skip(15, 'Profile');
    }
  }
  return scan;
}

/** Decodes each message the scan noted, in order, with `decode(index)` reading from the positioned reader. */
function decodeAll<T>(r: WireReader, ranges: Ranges, decode: (index: number) => T): T[] {
  const out: T[] = new Array(ranges.count);
  for (let i = 0; i < ranges.count; i++) {
    r.message(ranges.start(i), ranges.end(i));
    out[i] = decode(i);
  }
  return out;
}

/** Resolves IDs and string indices into references, checking each one as google/pprof's CheckValid does. */
function resolveProfile(r: WireReader, scan: Scan): Profile {
  const strings = new StringTable(decodeAll(r, scan.strings, () => r.rest()));
  const sampleTypes = decodeAll(r, scan.sampleTypes, (i) => readValueType(r, strings, `sample_type ${i}`));
  const mappings = decodeAll(r, scan.mappings, (i) => readMapping(r, strings, i));
  const mappingById = new IdIndex(mappings, 'mapping');
  const functions = decodeAll(r, scan.functions, (i) => readFunction(r, strings, i));
  const functionById = new IdIndex(functions, 'function');
  const locations: Location[] = new Array(scan.locations.count);
  for (let i = 0; i < locations.length; i++) {
    r.message(scan.locations.start(i), scan.locations.end(i));
    locations[i] = readLocation(r, mappingById, functionById);
  }
  const locationById = new IdIndex(locations, 'location');
  const sampleReader = new SampleReader(r, strings, sampleTypes.length, locationById);
  const samples: Sample[] = new Array(scan.samples.count);
  for (let i = 0; i < samples.length; i++) {
    r.message(scan.samples.start(i), scan.samples.end(i));
    samples[i] = sampleReader.read(i);
  }
  const periodType = scan.periodType.count === 0 ? null : decodeAll(r, scan.periodType, () => readValueType(r, strings, 'period_type'))[0];
  return {
    sampleTypes,
    defaultSampleType: strings.at(scan.defaultSampleType) ?? strings.refuse(scan.defaultSampleType, 'default_sample_type'),
    samples,
    mappings,
    locations,
    functions,
    dropFrames: strings.at(scan.dropFrames) ?? strings.refuse(scan.dropFrames, 'drop_frames'),
    keepFrames: strings.at(scan.keepFrames) ?? strings.refuse(scan.keepFrames, 'keep_frames'),
    timeNanos: scan.timeNanos,
    durationNanos: scan.durationNanos,
    periodType,
    period: scan.period,
    comments: scan.comments.toArray().map((c, i) => strings.at(c) ?? strings.refuse(c, `comment ${i}`)),
    docUrl: strings.at(scan.docUrl) ?? strings.refuse(scan.docUrl, 'doc_url'),
  };
}

/** The string table. `at` is the fast path; callers name the referring field only when it fails. */
class StringTable {
  private readonly table: readonly string[];

  constructor(private readonly strings: readonly string[]) {
    if (strings.length > 0 && strings[0] !== '') {
      throw new ProfileError('invalid_value', `string_table[0] must be "" but is ${JSON.stringify(strings[0].slice(0, 40))}`);
    }
    this.table = strings.length > 0 ? strings : [''];
  }

  /** The string at `index`, or undefined when the index is out of range. */
  at(index: number): string | undefined {
    return this.table[index];
  }

  refuse(index: number, what: string): never {
    throw new ProfileError('invalid_reference', `${what} refers to string ${index}, out of range of the string table (${this.strings.length} entries)`);
  }
}

/**
 * Looks entries up by id. Encoders number entries 1..n in order (Go's does), so the entries array is
 * itself the index when ids are consecutive; otherwise a Map is built.
 */
class IdIndex<T extends { readonly id: number }> {
  private readonly firstId: number;
  private readonly byId: Map<number, T> | null = null;

  constructor(private readonly entries: readonly T[], kind: string) {
    this.firstId = entries.length > 0 ? entries[0].id : 1;
    let consecutive = this.firstId >= 1;
    for (let i = 0; consecutive && i < entries.length; i++) consecutive = entries[i].id === this.firstId + i;
    if (consecutive) return;
    const byId = new Map<number, T>();
    for (const entry of entries) {
      if (entry.id === 0) throw new ProfileError('invalid_value', `a ${kind} has the reserved id 0`);
      if (byId.has(entry.id)) throw new ProfileError('invalid_value', `two ${kind}s share the id ${entry.id}`);
      byId.set(entry.id, entry);
    }
    this.byId = byId;
  }

  get(id: number): T | undefined {
    return this.byId === null ? this.entries[id - this.firstId] : this.byId.get(id);
  }
}

function readValueType(r: WireReader, strings: StringTable, what: string): ValueType {
  let type = 0;
  let unit = 0;
  while (r.pos < r.end) {
    const key = r.key();
    if (key === 1 * 8 + VARINT) type = r.int();
    else if (key === 2 * 8 + VARINT) unit = r.int();
    else r.skip(2, 'ValueType');
  }
  return { type: strings.at(type) ?? strings.refuse(type, what), unit: strings.at(unit) ?? strings.refuse(unit, what) };
}

function readMapping(r: WireReader, strings: StringTable, i: number): Mapping {
  let id = 0, filename = 0, buildId = 0;
  let memoryStart = 0n, memoryLimit = 0n, fileOffset = 0n;
  let hasFunctions = false, hasFilenames = false, hasLineNumbers = false, hasInlineFrames = false;
  while (r.pos < r.end) {
    switch (r.key()) {
      case 1 * 8 + VARINT: id = r.uint(); break;
      case 2 * 8 + VARINT: memoryStart = r.bigUint(); break;
      case 3 * 8 + VARINT: memoryLimit = r.bigUint(); break;
      case 4 * 8 + VARINT: fileOffset = r.bigUint(); break;
      case 5 * 8 + VARINT: filename = r.int(); break;
      case 6 * 8 + VARINT: buildId = r.int(); break;
      case 7 * 8 + VARINT: hasFunctions = r.bool(); break;
      case 8 * 8 + VARINT: hasFilenames = r.bool(); break;
      case 9 * 8 + VARINT: hasLineNumbers = r.bool(); break;
      case 10 * 8 + VARINT: hasInlineFrames = r.bool(); break;
      default: r.skip(10, 'Mapping');
    }
  }
  return {
    id, memoryStart, memoryLimit, fileOffset,
    file: strings.at(filename) ?? strings.refuse(filename, `mapping ${i} filename`),
    buildId: strings.at(buildId) ?? strings.refuse(buildId, `mapping ${i} build_id`),
    hasFunctions, hasFilenames, hasLineNumbers, hasInlineFrames,
  };
}

function readFunction(r: WireReader, strings: StringTable, i: number): Func {
  let id = 0, name = 0, systemName = 0, filename = 0, startLine = 0;
  while (r.pos < r.end) {
    switch (r.key()) {
      case 1 * 8 + VARINT: id = r.uint(); break;
      case 2 * 8 + VARINT: name = r.int(); break;
      case 3 * 8 + VARINT: systemName = r.int(); break;
      case 4 * 8 + VARINT: filename = r.int(); break;
      case 5 * 8 + VARINT: startLine = r.int(); break;
      default: r.skip(5, 'Function');
    }
  }
  return {
    id,
    name: strings.at(name) ?? strings.refuse(name, `function ${i} name`),
    systemName: strings.at(systemName) ?? strings.refuse(systemName, `function ${i} system_name`),
    filename: strings.at(filename) ?? strings.refuse(filename, `function ${i} filename`),
    startLine,
  };
}

function readLocation(r: WireReader, mappingById: IdIndex<Mapping>, functionById: IdIndex<Func>): Location {
  let id = 0, mappingId = 0, address = 0n, isFolded = false, missingFunction = -1;
  let lines: Line[] = NO_LINES;
  while (r.pos < r.end) {
    switch (r.key()) {
      case 1 * 8 + VARINT: id = r.uint(); break;
      case 2 * 8 + VARINT: mappingId = r.uint(); break;
      case 3 * 8 + VARINT: address = r.bigUint(); break;
      case 4 * 8 + LEN: {
        const line = readLine(r, functionById);
        // Exact-size arrays: `[]` and push would reserve 17 slots for the usual one line.
        if (typeof line !== 'number') lines = lines.length === 0 ? [line] : [...lines, line];
        else if (missingFunction < 0) missingFunction = line;
        break;
      }
      case 5 * 8 + VARINT: isFolded = r.bool(); break;
      default: r.skip(5, 'Location');
    }
  }
  const mapping = mappingId === 0 ? null : mappingById.get(mappingId);
  if (mapping === undefined) throw new ProfileError('invalid_reference', `location ${id} references missing mapping ${mappingId}`);
  if (missingFunction >= 0) throw new ProfileError('invalid_reference', `location ${id} references missing function ${missingFunction}`);
  return { id, mapping, address, lines, isFolded };
}

/** Reads one Line; returns the function id instead when no such function exists. */
function readLine(r: WireReader, functionById: IdIndex<Func>): Line | number {
  const outer = r.enter();
  let functionId = 0, line = 0, column = 0;
  while (r.pos < r.end) {
    switch (r.key()) {
      case 1 * 8 + VARINT: functionId = r.uint(); break;
      case 2 * 8 + VARINT: line = r.int(); break;
      case 3 * 8 + VARINT: column = r.int(); break;
      default: r.skip(3, 'Line');
    }
  }
  r.leave(outer);
  const fn = functionById.get(functionId);
  return fn === undefined ? functionId : { fn, line, column };
}

/** A decoded label set and where its first sample's Label messages lie, to recognise it by its bytes. */
interface LabelSet { starts: number[]; ends: number[]; labels: SampleLabel[] }

/**
 * Past this many distinct label sets the labels are mostly unique per sample (span ids, say), so the
 * cache would only cost memory: samples then get their labels decoded afresh.
 */
const MAX_CACHED_LABEL_SETS = 4096;

/**
 * Decodes samples straight into the model. Profiles repeat a few label sets over thousands of samples
 * (datadog-pprof-format__test.pprof: 84 sets on 28565 samples), so each distinct set is decoded once,
 * recognised by its bytes, and its read-only array shared: allocation, not parsing, is what decoding
 * costs in V8.
 */
class SampleReader {
  private readonly ids = new NumberList();
  private readonly values = new NumberList();
  private labelCount = 0;
  private readonly labelStarts: number[] = [];
  private readonly labelEnds: number[] = [];
  private readonly labelSets = new Map<number, LabelSet[]>();
  private labelSetCount = 0;

  constructor(
    private readonly r: WireReader,
    private readonly strings: StringTable,
    private readonly typeCount: number,
    private readonly locationById: IdIndex<Location>,
  ) {}

  /** Reads one sample. Go writes repeated fields of up to two values unpacked, so both forms are common. */
  read(i: number): Sample {
    const { r, ids, values } = this;
    ids.count = 0;
    values.count = 0;
    this.labelCount = 0;
    while (r.pos < r.end) {
      switch (r.key()) {
        case 1 * 8 + VARINT: ids.push(r.uint()); break;
        case 1 * 8 + LEN: r.readPacked(false, ids); break;
        case 2 * 8 + VARINT: values.push(r.int()); break;
        case 2 * 8 + LEN: r.readPacked(true, values); break;
        case 3 * 8 + LEN: this.noteLabel(); break;
        default: r.skip(3, 'Sample');
      }
    }
    if (values.count !== this.typeCount) {
      throw new ProfileError('invalid_value', `sample ${i} has ${values.count} values but the profile has ${this.typeCount} sample types`);
    }
    return {
      locations: ids.count === 0 ? NO_LOCATIONS : this.locations(i),
      values: values.count === 0 ? NO_VALUES : values.toArray(),
      labels: this.labelCount === 0 ? NO_LABELS : this.labelSet(i),
    };
  }

  private locations(i: number): Location[] {
    const { ids } = this;
    const locations = new Array<Location>(ids.count);
    for (let j = 0; j < ids.count; j++) {
      const location = this.locationById.get(ids.at(j));
      if (location === undefined) throw new ProfileError('invalid_reference', `sample ${i} references missing location ${ids.at(j)}`);
      locations[j] = location;
    }
    return locations;
  }

  private noteLabel(): void {
    const outer = this.r.enter();
    this.labelStarts[this.labelCount] = this.r.pos;
    this.labelEnds[this.labelCount] = this.r.end;
    this.labelCount++;
    this.r.leave(outer);
  }

  /** The labels the sample's Label messages (noted by `read`) hold, decoded once per distinct byte string. */
  private labelSet(i: number): SampleLabel[] {
    const { labelStarts: starts, labelEnds: ends, labelCount: count } = this;
    if (this.labelSetCount >= MAX_CACHED_LABEL_SETS) return this.decodeLabels(i).labels;
    const buf = this.r.buf;
    let hash = 0x811c9dc5;
    for (let j = 0; j < count; j++) {
      hash = Math.imul(hash ^ (ends[j] - starts[j]), 0x01000193);
      for (let b = starts[j]; b < ends[j]; b++) hash = Math.imul(hash ^ buf[b], 0x01000193);
    }
    const candidates = this.labelSets.get(hash);
    for (const set of candidates ?? []) if (sameBytes(buf, set, starts, ends, count)) return set.labels;
    const set = this.decodeLabels(i);
    if (candidates) candidates.push(set);
    else this.labelSets.set(hash, [set]);
    this.labelSetCount++;
    return set.labels;
  }

  private decodeLabels(i: number): LabelSet {
    const count = this.labelCount;
    const set = { starts: this.labelStarts.slice(0, count), ends: this.labelEnds.slice(0, count), labels: new Array<SampleLabel>(count) };
    for (let j = 0; j < count; j++) {
      this.r.message(set.starts[j], set.ends[j]);
      set.labels[j] = readLabel(this.r, this.strings, i, j);
    }
    return set;
  }
}

function sameBytes(buf: Uint8Array, set: LabelSet, starts: readonly number[], ends: readonly number[], count: number): boolean {
  if (set.starts.length !== count) return false;
  for (let j = 0; j < count; j++) {
    const offset = set.starts[j] - starts[j];
    if (set.ends[j] - set.starts[j] !== ends[j] - starts[j]) return false;
    for (let b = starts[j]; b < ends[j]; b++) if (buf[b + offset] !== buf[b]) return false;
  }
  return true;
}

function readLabel(r: WireReader, strings: StringTable, i: number, j: number): SampleLabel {
  let key = 0, str = 0, num = 0, numUnit = 0;
  while (r.pos < r.end) {
    switch (r.key()) {
      case 1 * 8 + VARINT: key = r.int(); break;
      case 2 * 8 + VARINT: str = r.int(); break;
      case 3 * 8 + VARINT: num = r.int(); break;
      case 4 * 8 + VARINT: numUnit = r.int(); break;
      default: r.skip(4, 'Label');
    }
  }
  return {
    key: strings.at(key) ?? strings.refuse(key, `sample ${i} label ${j} key`),
    str: strings.at(str) ?? strings.refuse(str, `sample ${i} label ${j} value`),
    num,
    numUnit: strings.at(numUnit) ?? strings.refuse(numUnit, `sample ${i} label ${j} unit`),
  };
}

import Long from 'long';
import { gzipSync } from 'node:zlib';
import type { Profile, ValueType } from './model';
import { ProfileMessage } from './schema';

/** Encodes a profile as raw (uncompressed) pprof protobuf bytes. */
export function encodeProfileRaw(profile: Profile): Uint8Array {
  const strings = new StringTable();
  const s = (value: string) => strings.index(value);
  const valueType = (v: ValueType) => ({ type: s(v.type), unit: s(v.unit) });
  const message = {
    sampleType: profile.sampleTypes.map(valueType),
    sample: profile.samples.map((sample) => ({
      locationId: sample.locations.map((l) => l.id),
      value: sample.values,
      label: sample.labels.map((l) => ({ key: s(l.key), str: s(l.str), num: l.num, numUnit: s(l.numUnit) })),
    })),
    mapping: profile.mappings.map((m) => ({
      id: m.id,
      memoryStart: uint64(m.memoryStart),
      memoryLimit: uint64(m.memoryLimit),
      fileOffset: uint64(m.fileOffset),
      filename: s(m.file),
      buildId: s(m.buildId),
      hasFunctions: m.hasFunctions,
      hasFilenames: m.hasFilenames,
      hasLineNumbers: m.hasLineNumbers,
      hasInlineFrames: m.hasInlineFrames,
    })),
    location: profile.locations.map((l) => ({
      id: l.id,
      mappingId: l.mapping ? l.mapping.id : 0,
      address: uint64(l.address),
      line: l.lines.map((ln) => ({ functionId: ln.fn.id, line: ln.line, column: ln.column })),
      isFolded: l.isFolded,
    })),
    function: profile.functions.map((f) => ({
      id: f.id,
      name: s(f.name),
      systemName: s(f.systemName),
      filename: s(f.filename),
      startLine: f.startLine,
    })),
    dropFrames: s(profile.dropFrames),
    keepFrames: s(profile.keepFrames),
    timeNanos: int64(profile.timeNanos),
    durationNanos: profile.durationNanos,
    periodType: profile.periodType ? valueType(profile.periodType) : undefined,
    period: profile.period,
    comment: profile.comments.map(s),
    defaultSampleType: s(profile.defaultSampleType),
    docUrl: s(profile.docUrl),
    stringTable: strings.values,
  };
  return ProfileMessage.encode(message).finish();
}

/** Encodes a profile as gzip-compressed pprof, the form every pprof tool reads and profd stores. */
export function encodeProfile(profile: Profile): Uint8Array {
  return gzipSync(encodeProfileRaw(profile));
}

/** Builds a string table with "" at index 0, each distinct string once. */
class StringTable {
  readonly values: string[] = [''];
  private readonly indices = new Map<string, number>([['', 0]]);

  index(value: string): number {
    let i = this.indices.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.indices.set(value, i);
    }
    return i;
  }
}

function uint64(value: bigint): number | Long {
  if (value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  return Long.fromBits(Number(value & 0xffffffffn), Number((value >> 32n) & 0xffffffffn), true);
}

function int64(value: bigint): number | Long {
  if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  const bits = BigInt.asUintN(64, value);
  return Long.fromBits(Number(bits & 0xffffffffn), Number(bits >> 32n), false);
}

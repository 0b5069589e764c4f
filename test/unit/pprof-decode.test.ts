import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import Long from 'long';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeProfile, encodeProfile, encodeProfileRaw, isProfileError, unwrapProfileBytes, type Profile } from '../../lib/pprof';
import { ProfileMessage } from '../../lib/pprof/schema';
import { syntheticProfile } from '../helpers/synthetic';

const FIXTURES = new URL('../../../shared/fixtures/pprof/', import.meta.url);
const fixtureNames = readdirSync(FIXTURES).filter((f) => !/\.(txt|md|string)$/.test(f)).sort();
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, FIXTURES)));

/** The same model built the old way: protobufjs decodes, then references are resolved by id. */
function viaProtobufjs(bytes: Uint8Array): Profile {
  const m = ProfileMessage.toObject(ProfileMessage.decode(unwrapProfileBytes(bytes)), { longs: String, arrays: true, defaults: true });
  const s = (i: string) => (m.stringTable as string[])[Number(i)] ?? '';
  const valueType = (v: { type: string; unit: string }) => ({ type: s(v.type), unit: s(v.unit) });
  const mappings = m.mapping.map((x: Record<string, string & boolean>) => ({
    id: Number(x.id), memoryStart: BigInt(x.memoryStart), memoryLimit: BigInt(x.memoryLimit), fileOffset: BigInt(x.fileOffset),
    file: s(x.filename), buildId: s(x.buildId), hasFunctions: x.hasFunctions, hasFilenames: x.hasFilenames,
    hasLineNumbers: x.hasLineNumbers, hasInlineFrames: x.hasInlineFrames,
  }));
  const functions = m.function.map((f: Record<string, string>) => ({
    id: Number(f.id), name: s(f.name), systemName: s(f.systemName), filename: s(f.filename), startLine: Number(f.startLine),
  }));
  const byId = <T extends { id: number }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
  const [mappingById, functionById] = [byId(mappings), byId(functions)];
  const locations = m.location.map((l: Record<string, string & boolean> & { line: Record<string, string>[] }) => ({
    id: Number(l.id), mapping: mappingById.get(Number(l.mappingId)) ?? null, address: BigInt(l.address), isFolded: l.isFolded,
    lines: l.line.map((ln) => ({ fn: functionById.get(Number(ln.functionId)), line: Number(ln.line), column: Number(ln.column) })),
  }));
  const locationById = byId(locations);
  return {
    sampleTypes: m.sampleType.map(valueType),
    defaultSampleType: s(m.defaultSampleType),
    samples: m.sample.map((x: { locationId: string[]; value: string[]; label: Record<string, string>[] }) => ({
      locations: x.locationId.map((id) => locationById.get(Number(id))),
      values: x.value.map(Number),
      labels: x.label.map((l) => ({ key: s(l.key), str: s(l.str), num: Number(l.num), numUnit: s(l.numUnit) })),
    })),
    mappings, locations, functions,
    dropFrames: s(m.dropFrames), keepFrames: s(m.keepFrames), timeNanos: BigInt(m.timeNanos), durationNanos: Number(m.durationNanos),
    periodType: m.periodType ? valueType(m.periodType) : null, period: Number(m.period),
    comments: m.comment.map(s), docUrl: s(m.docUrl),
  };
}

/** A model, or the refusal's code: so accepting and refusing can be compared alike. */
function outcome(decode: (bytes: Uint8Array) => Profile, bytes: Uint8Array): Profile | string {
  try {
    return decode(bytes);
  } catch (err) {
    if (isProfileError(err)) return `refused: ${err.code}`;
    throw err;
  }
}

/** Protobuf bytes built field by field, for inputs no encoder would write. */
const pb = {
  varint: (field: number, value: number | Long) => protobuf.Writer.create().uint32(field * 8).uint64(value).finish(),
  bytes: (field: number, ...parts: Uint8Array[]) => protobuf.Writer.create().uint32(field * 8 + 2).bytes(Buffer.concat(parts)).finish(),
  string: (field: number, value: string) => protobuf.Writer.create().uint32(field * 8 + 2).string(value).finish(),
  join: (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts)),
};

describe('decodeProfile agrees with protobufjs', () => {
  it.each(fixtureNames)('%s', (name) => {
    const bytes = fixture(name);
    expect(outcome(decodeProfile, bytes)).toEqual(outcome(viaProtobufjs, bytes));
  });
});

describe('decodeProfile(encodeProfile(p))', () => {
  const decodable = fixtureNames.filter((name) => typeof outcome(decodeProfile, fixture(name)) !== 'string');

  it('covers the protobuf fixtures', () => expect(decodable.length).toBeGreaterThanOrEqual(38));

  it.each(decodable)('round-trips %s', (name) => {
    const profile = decodeProfile(fixture(name));
    expect(decodeProfile(encodeProfile(profile))).toEqual(profile);
  });

  it('round-trips a synthetic profile with inlined frames, labels and four sample types', () => {
    const profile = syntheticProfile({ seed: 9, sampleTypes: 'heap', labels: 6, inlineFraction: 0.4 });
    expect(decodeProfile(encodeProfileRaw(profile))).toEqual(profile);
  });
});

describe('decodeProfile reads every legal encoding', () => {
  const base = pb.join(
    pb.bytes(1, pb.varint(1, 1), pb.varint(2, 2)),
    pb.bytes(5, pb.varint(1, 1), pb.varint(2, 3)),
    pb.bytes(4, pb.varint(1, 1), pb.bytes(4, pb.varint(1, 1), pb.varint(2, 42))),
    pb.bytes(4, pb.varint(1, 2), pb.bytes(4, pb.varint(1, 1), pb.varint(2, 43))),
    ...['', 'samples', 'count', 'main'].map((s) => pb.string(6, s)),
  );
  const stack = (p: Profile) => p.samples.map((s) => [s.locations.map((l) => l.id), s.values]);

  it.each([
    ['packed', pb.bytes(2, pb.bytes(1, Buffer.from([1, 2])), pb.bytes(2, Buffer.from([7])))],
    ['unpacked', pb.bytes(2, pb.varint(1, 1), pb.varint(1, 2), pb.varint(2, 7))],
    ['packed and unpacked mixed', pb.bytes(2, pb.varint(1, 1), pb.bytes(1, Buffer.from([2])), pb.bytes(2, Buffer.from([7])))],
  ])('repeated fields %s', (_, sample) => {
    expect(stack(decodeProfile(pb.join(base, sample)))).toEqual([[[1, 2], [7]]]);
  });

  const unknownFields = [
    ['varint', pb.varint(99, 2 ** 40)],
    ['64-bit', Buffer.from([0x99, 0x06, 1, 2, 3, 4, 5, 6, 7, 8])],
    ['length-delimited', pb.string(99, 'ignored')],
    ['32-bit', Buffer.from([0x9d, 0x06, 1, 2, 3, 4])],
    ['group with a nested group', Buffer.from([0x9b, 0x06, 0x08, 0x01, 0xa3, 0x06, 0xa4, 0x06, 0x9c, 0x06])],
  ] as const;
  it.each(unknownFields)('skips an unknown %s field at the top and inside a sample', (_, unknown) => {
    const sample = pb.bytes(2, pb.bytes(1, Buffer.from([1, 2])), unknown, pb.bytes(2, Buffer.from([7])));
    expect(stack(decodeProfile(pb.join(unknown, base, sample, unknown)))).toEqual([[[1, 2], [7]]]);
  });

  /** Each item at every place in a packed run, first, inner and last: `n` runs, the i-th rotated by i. */
  const rotations = <T>(items: readonly T[]) => items.map((_, i) => [...items.slice(i), ...items.slice(0, i)]);
  const packed = (field: number, values: readonly (number | Long)[]) => {
    const w = protobuf.Writer.create();
    for (const v of values) w.int64(v);
    return pb.bytes(field, w.finish());
  };
  it.each([
    ['numbered 1..n', Array.from({ length: 20_000 }, (_, i) => i + 1), [1, 127, 128, 16_383, 16_384, 20_000]],
    ['with sparse ids', [1, 127, 128, 16_383, 16_384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 35, 2 ** 53 - 1], null],
  ] as const)('location ids and values of every varint width at every place of a packed run, locations %s', (_, ids, used) => {
    const values = [0, 1, 127, 128, 16_383, 16_384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 40, -1, Long.fromString('-9007199254740991')];
    const bytes = pb.join(
      ...values.map(() => pb.bytes(1, pb.varint(1, 1), pb.varint(2, 2))),
      ...ids.map((id) => pb.bytes(4, pb.varint(1, id))),
      ...rotations(used ?? ids).map((stack, i) => pb.bytes(2, packed(1, stack), packed(2, rotations(values)[i % values.length]))),
      ...['', 'samples', 'count'].map((s) => pb.string(6, s)),
    );
    expect(decodeProfile(bytes)).toEqual(viaProtobufjs(bytes));
  });

  it('decodes shared label sets and, past the label-set cache, labels unique to each sample', () => {
    const base = syntheticProfile({ seed: 4, samples: 12_000, labels: 3 });
    const profile = {
      ...base,
      samples: base.samples.map((s, i) => ({ ...s, labels: [...s.labels, { key: 'span_id', str: '', num: i, numUnit: '' }] })),
    };
    expect(profile.samples.length).toBeGreaterThan(5000);
    expect(decodeProfile(encodeProfileRaw(profile))).toEqual(profile);
  });

  it('keeps 64-bit addresses and negative values exact', () => {
    const kernel = Long.fromString('18446744071578845184', true);
    const bytes = pb.join(
      pb.bytes(1, pb.varint(1, 1), pb.varint(2, 2)),
      pb.bytes(3, pb.varint(1, 1), pb.varint(2, kernel), pb.varint(3, Long.fromString('18446744073709551615', true))),
      pb.bytes(4, pb.varint(1, 1), pb.varint(2, 1), pb.varint(3, kernel)),
      pb.bytes(2, pb.bytes(1, Buffer.from([1])), pb.bytes(2, protobuf.Writer.create().int64(-5).finish())),
      pb.varint(9, Long.fromString('-1000', false)),
      ...['', 'samples', 'count'].map((s) => pb.string(6, s)),
    );
    const profile = decodeProfile(bytes);
    expect(profile.locations[0].address).toBe(0xffffffff81000000n);
    expect(profile.mappings[0].memoryLimit).toBe(0xffffffffffffffffn);
    expect(profile.samples[0].values).toEqual([-5]);
    expect(profile.timeNanos).toBe(-1000n);
  });
});

/** The ProfileError decodeProfile throws, or null when it accepts the bytes; any other exception fails the test. */
function refusal(bytes: Uint8Array, maxBytes?: number) {
  try {
    decodeProfile(bytes, { maxBytes });
    return null;
  } catch (err) {
    if (!isProfileError(err)) throw new Error(`not a ProfileError: ${String(err)}`);
    return { code: err.code, message: err.message };
  }
}

/** A seeded xorshift, so garbage inputs are the same on every run. */
function randomBytes(seed: number, length: number): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

describe('decodeProfile refuses broken input with a ProfileError', () => {
  const heap = unwrapProfileBytes(fixture('dd-trace-go__heap.pprof'));
  const topLevelBoundaries = new Set<number>();
  for (const reader = protobuf.Reader.create(heap); reader.pos < reader.len; topLevelBoundaries.add(reader.pos)) {
    reader.skipType(reader.uint32() & 7);
  }

  it('reports truncation and the byte it happened at, for cuts anywhere inside a field', () => {
    const cuts = Array.from({ length: 400 }, (_, k) => 1 + Math.floor((k * (heap.length - 2)) / 400)).filter((n) => !topLevelBoundaries.has(n));
    for (const cut of cuts) {
      expect(refusal(heap.subarray(0, cut)), `cut at ${cut}`).toEqual({ code: 'truncated', message: expect.stringContaining(`truncated at byte ${cut}`) });
    }
  });

  it('reports a gzip stream cut short as truncated', () => {
    const gz = gzipSync(heap);
    expect(refusal(gz.subarray(0, gz.length / 2))?.code).toBe('truncated');
  });

  it('never throws anything else, whichever bit of a profile is flipped', () => {
    const small = unwrapProfileBytes(fixture('dd-trace-go__block.before.pprof'));
    const codes = new Set<string>();
    for (let bit = 0; bit < small.length * 8; bit++) {
      const flipped = Uint8Array.from(small);
      flipped[bit >> 3] ^= 1 << (bit & 7);
      codes.add(refusal(flipped)?.code ?? 'accepted');
    }
    expect([...codes].sort()).toEqual(['accepted', 'invalid_reference', 'invalid_value', 'not_pprof', 'truncated']);
  });

  it('refuses random garbage', () => {
    for (let seed = 1; seed <= 300; seed++) expect(refusal(randomBytes(seed, 1 + (seed % 64) * 17))).not.toBeNull();
  });

  it('refuses a gzip bomb by size, before inflating it all', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    expect(refusal(bomb, 1024 * 1024)).toEqual({ code: 'too_large', message: expect.stringContaining('more than 1048576 bytes') });
  });

  const strings = (...s: string[]) => s.map((x) => pb.string(6, x));
  const sampleType = pb.bytes(1, pb.varint(1, 1), pb.varint(2, 2));
  const location = (id: number, ...fields: Uint8Array[]) => pb.bytes(4, pb.varint(1, id), ...fields);
  const sample = (...ids: number[]) => pb.bytes(2, pb.bytes(1, Buffer.from(ids)), pb.bytes(2, Buffer.from([1])));
  it.each([
    ['empty input', new Uint8Array(0), 'empty', 'empty input'],
    ['field number 0', Buffer.from([0x02, 0x00]), 'not_pprof', 'field number 0 at byte 0'],
    ['an invalid wire type', pb.join(sampleType, Buffer.from([0x0f])), 'not_pprof', 'invalid wire type 7 at byte 6'],
    ['a known field with the wrong wire type', Buffer.from([0x08, 0x01]), 'not_pprof', 'field 1 of Profile at byte 0 has the wrong wire type 0'],
    ['a varint over ten bytes', Buffer.from([0x38, ...Array(10).fill(0xff), 0x01]), 'not_pprof', 'varint longer than ten bytes at byte 1'],
    ['a field overrunning its message', pb.bytes(2, Buffer.from([0x0a, 0x05, 0x01])), 'not_pprof', 'a 5-byte field at byte 2 runs past the end of its enclosing message at byte 5'],
    ['an end-group without a start', Buffer.from([0x9c, 0x06]), 'not_pprof', 'end-group marker without a start-group at byte 0'],
    ['a first string that is not empty', pb.join(...strings('x')), 'invalid_value', 'string_table[0] must be "" but is "x"'],
    ['a string index out of range', pb.join(pb.bytes(5, pb.varint(1, 1), pb.varint(2, 50)), ...strings('', 'a', 'b')), 'invalid_reference', 'function 0 name refers to string 50, out of range of the string table (3 entries)'],
    ['a sample with too few values', pb.join(sampleType, sampleType, location(1), sample(1), ...strings('', 's', 'c')), 'invalid_value', 'sample 0 has 1 values but the profile has 2 sample types'],
    ['a packed location id cut off at the end of its run', pb.join(sampleType, location(1), pb.bytes(2, pb.bytes(1, Buffer.from([1, 0x81])), pb.bytes(2, Buffer.from([1]))), ...strings('', 's', 'c')), 'not_pprof', 'a varint at byte 15 runs past the end of its enclosing message at byte 16'],
    ['a packed value cut off at the end of its run', pb.join(sampleType, location(1), pb.bytes(2, pb.bytes(1, Buffer.from([1])), pb.bytes(2, Buffer.from([0x81, 0x81, 0x81]))), ...strings('', 's', 'c')), 'not_pprof', 'runs past the end of its enclosing message'],
    ['a sample referencing a missing location', pb.join(sampleType, location(1), ...Array(12).fill(sample(1)), sample(1, 99), ...strings('', 's', 'c')), 'invalid_reference', 'sample 12 references missing location 99'],
    ['a location referencing a missing mapping', pb.join(location(3, pb.varint(2, 8)), ...strings('')), 'invalid_reference', 'location 3 references missing mapping 8'],
    ['a location referencing a missing function', pb.join(location(3, pb.bytes(4, pb.varint(1, 4))), ...strings('')), 'invalid_reference', 'location 3 references missing function 4'],
    ['the reserved id 0', pb.join(location(0)), 'invalid_value', 'a location has the reserved id 0'],
    ['two locations with one id', pb.join(location(5), location(5)), 'invalid_value', 'two locations share the id 5'],
    ['a legacy text profile', Buffer.from('heap profile: 1: 2 [3: 4] @ heapprofile\n'), 'legacy_format', 'legacy heap profile'],
  ] as const)('%s', (_, bytes, code, message) => {
    expect(refusal(bytes)).toEqual({ code, message: expect.stringContaining(message) });
  });
});

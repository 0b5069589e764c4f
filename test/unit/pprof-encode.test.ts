import Long from 'long';
import { describe, expect, it } from 'vitest';
import { decodeProfile, encodeProfile, encodeProfileRaw, isProfileError, type Location, type Profile } from '../../lib/pprof';
import { ProfileMessage } from '../../lib/pprof/schema';
import { listFixtures, readFixture } from '../helpers/fixtures';
import { syntheticProfile } from '../helpers/synthetic';

/**
 * The hand-written encoder against protobufjs, the independent reference: the same profile encoded
 * by both must read back alike, through profd's decoder and through protobufjs' own.
 */
function viaProtobufjs(profile: Profile): Uint8Array {
  const strings = new Map<string, number>([['', 0]]);
  const s = (value: string) => strings.get(value) ?? (strings.set(value, strings.size), strings.size - 1);
  const long = (value: bigint, unsigned: boolean) => {
    const bits = BigInt.asUintN(64, value);
    return Long.fromBits(Number(bits & 0xffffffffn), Number(bits >> 32n), unsigned);
  };
  const valueType = (v: { type: string; unit: string }) => ({ type: s(v.type), unit: s(v.unit) });
  const message = {
    sampleType: profile.sampleTypes.map(valueType),
    sample: profile.samples.map((x) => ({
      locationId: x.locations.map((l) => l.id),
      value: x.values,
      label: x.labels.map((l) => ({ key: s(l.key), str: s(l.str), num: l.num, numUnit: s(l.numUnit) })),
    })),
    mapping: profile.mappings.map((m) => ({
      id: m.id, memoryStart: long(m.memoryStart, true), memoryLimit: long(m.memoryLimit, true), fileOffset: long(m.fileOffset, true),
      filename: s(m.file), buildId: s(m.buildId), hasFunctions: m.hasFunctions, hasFilenames: m.hasFilenames,
      hasLineNumbers: m.hasLineNumbers, hasInlineFrames: m.hasInlineFrames,
    })),
    location: profile.locations.map((l) => ({
      id: l.id, mappingId: l.mapping?.id ?? 0, address: long(l.address, true), isFolded: l.isFolded,
      line: l.lines.map((ln) => ({ functionId: ln.fn.id, line: ln.line, column: ln.column })),
    })),
    function: profile.functions.map((f) => ({ id: f.id, name: s(f.name), systemName: s(f.systemName), filename: s(f.filename), startLine: f.startLine })),
    dropFrames: s(profile.dropFrames),
    keepFrames: s(profile.keepFrames),
    timeNanos: long(profile.timeNanos, false),
    durationNanos: profile.durationNanos,
    periodType: profile.periodType ? valueType(profile.periodType) : undefined,
    period: profile.period,
    comment: profile.comments.map(s),
    defaultSampleType: s(profile.defaultSampleType),
    docUrl: s(profile.docUrl),
    stringTable: [...strings.keys()],
  };
  return ProfileMessage.encode(message).finish();
}

/** The message as protobufjs reads it, every field present: both encoders intern strings in the same order. */
const readByProtobufjs = (bytes: Uint8Array) =>
  ProfileMessage.toObject(ProfileMessage.decode(bytes), { longs: String, arrays: true, defaults: true });

function decodable(name: string): boolean {
  try {
    decodeProfile(readFixture(name));
    return true;
  } catch (err) {
    if (isProfileError(err)) return false;
    throw err;
  }
}

/** A one-location profile to hang edge cases on. */
function tiny(overrides: Partial<Profile>, functionName = 'main'): Profile {
  const fn = { id: 1, name: functionName, systemName: functionName, filename: 'main.go', startLine: 1 };
  const mapping = {
    id: 1, memoryStart: 0x400000n, memoryLimit: 0xffffffffffffffffn, fileOffset: 0n, file: '/bin/app', buildId: '',
    hasFunctions: true, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false,
  };
  const location = { id: 1, mapping, address: 0xffffffff81000000n, lines: [{ fn, line: 3, column: 0 }], isFolded: false };
  return {
    sampleTypes: [{ type: 'samples', unit: 'count' }], defaultSampleType: '', mappings: [mapping], locations: [location],
    functions: [fn], samples: [{ locations: [location], values: [1], labels: [] }], dropFrames: '', keepFrames: '',
    timeNanos: 0n, durationNanos: 0, periodType: null, period: 0, comments: [], docUrl: '', ...overrides,
  };
}

const edgeCases: [string, Profile][] = [
  ['negative values, time and labels', tiny({
    samples: [{ locations: [], values: [-5], labels: [{ key: 'delta', str: '', num: -(2 ** 40), numUnit: 'bytes' }] }],
    timeNanos: -1000n, durationNanos: 2 ** 53 - 1, period: -3,
  })],
  ['non-ASCII and long strings', tiny({ comments: ['ünïcödé ☃ 🔥', 'x'.repeat(43), 'é'.repeat(70), 'y'.repeat(20_000)] }, 'pkg.(*T).方法')],
  ['stacks whose length prefix takes two and three bytes', tiny({
    samples: [100, 9000].map((depth) => ({ locations: Array<Location>(depth).fill(tiny({}).locations[0]), values: [depth], labels: [] })),
  })],
  ['every header field', tiny({
    defaultSampleType: 'samples', dropFrames: 'runtime\\..*', keepFrames: 'main', docUrl: 'https://example.com/doc',
    periodType: { type: 'cpu', unit: 'nanoseconds' }, period: 10_000_000, comments: ['a', 'b'],
  })],
];

describe('encodeProfileRaw agrees with protobufjs', () => {
  const fixtures = listFixtures().filter(decodable);
  it('covers the protobuf fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(38));

  it.each(fixtures)('%s', (name) => {
    const profile = decodeProfile(readFixture(name));
    const bytes = encodeProfileRaw(profile);
    expect(decodeProfile(bytes)).toEqual(decodeProfile(viaProtobufjs(profile)));
    expect(readByProtobufjs(bytes)).toEqual(readByProtobufjs(viaProtobufjs(profile)));
  });

  it.each(edgeCases)('%s', (_, profile) => {
    const bytes = encodeProfileRaw(profile);
    expect(decodeProfile(bytes)).toEqual(profile);
    expect(readByProtobufjs(bytes)).toEqual(readByProtobufjs(viaProtobufjs(profile)));
  });

  it('a synthetic heap profile with labels and inlined frames', () => {
    const profile = syntheticProfile({ seed: 3, sampleTypes: 'heap', labels: 5, inlineFraction: 0.3 });
    expect(readByProtobufjs(encodeProfileRaw(profile))).toEqual(readByProtobufjs(viaProtobufjs(profile)));
    expect(decodeProfile(encodeProfile(profile))).toEqual(profile);
  });
});

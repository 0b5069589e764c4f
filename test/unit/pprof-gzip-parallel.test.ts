import { randomBytes } from 'node:crypto';
import { constants, crc32, gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeProfile, encodeProfile, encodeProfileAsync, encodeProfileRaw, mergeProfiles, totals, unwrapProfileBytes } from '../../lib/pprof';
import { GZIP_CHUNK_BYTES, GZIP_ONE_CALL_BYTES, gzipParallel } from '../../lib/pprof/gzip-parallel';
import { readFixture } from '../helpers/fixtures';
import { SYNTHETIC_PRESETS, syntheticProfile } from '../helpers/synthetic';

const C = GZIP_CHUNK_BYTES;
const ONE_CALL = GZIP_ONE_CALL_BYTES;
/** Around the one-call threshold and the piece size, and several pieces with a short last one. */
const SIZES = [0, 1, ONE_CALL, ONE_CALL + 1, C - 1, C, C + 1, 3 * C + 12345];

/** Text like a profile's string table: repetitive, with matches that run across chunk boundaries. */
function compressible(size: number): Buffer {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const line = `github.com/acme/service/internal/handler.(*Server).serve${i % 997}\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, size);
}

const INPUTS = SIZES.flatMap((size) => [
  { name: `${size} random bytes`, data: randomBytes(size) },
  { name: `${size} compressible bytes`, data: compressible(size) },
]);

/** Parses `gz` as a single gzip member; fails when anything follows the first member. */
function parseOneMember(gz: Uint8Array): { header: Uint8Array; inflated: Buffer; crc: number; isize: number } {
  const bytes = Buffer.from(gz);
  const header = bytes.subarray(0, 10);
  const { buffer: inflated, engine } = inflateRawSync(bytes.subarray(10), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
  expect(10 + engine.bytesWritten, 'the deflate stream ends 8 bytes before the file does').toBe(bytes.length - 8);
  return { header, inflated, crc: bytes.readUInt32LE(bytes.length - 8), isize: bytes.readUInt32LE(bytes.length - 4) };
}

describe('gzipParallel', () => {
  it.each(INPUTS)('gunzips to exactly the input: $name', async ({ data }) => {
    expect(gunzipSync(await gzipParallel(data)).equals(data)).toBe(true);
  });

  it.each(INPUTS)('writes one gzip member with a correct header and trailer: $name', async ({ data }) => {
    const { header, inflated, crc, isize } = parseOneMember(await gzipParallel(data));
    expect([...header.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect(inflated.equals(data)).toBe(true);
    expect(crc).toBe(crc32(data));
    expect(isize).toBe(data.length);
  });

  it('loses at most 1% of compression against one gzip call at the same level', async () => {
    const data = compressible(8 * C);
    const parallel = await gzipParallel(data);
    expect(parallel.length).toBeLessThan(1.01 * gzipSync(data, { level: constants.Z_BEST_SPEED }).length);
  });
});

describe('encodeProfileAsync', () => {
  // Decoded and merged profiles are written from their columns, others from their model: both are compressed while written.
  const large = [
    { name: 'google-pprof__large.cpu, decoded', profile: decodeProfile(readFixture('google-pprof__large.cpu')) },
    { name: 'a merge of three large synthetic profiles', profile: mergeProfiles([1, 2, 3].map((seed) => syntheticProfile({ ...SYNTHETIC_PRESETS.large, seed }))) },
    { name: 'a large synthetic profile, not decoded', profile: syntheticProfile({ ...SYNTHETIC_PRESETS.large, samples: 60000, seed: 1 }) },
  ];
  const medium = syntheticProfile({ ...SYNTHETIC_PRESETS.medium, seed: 1 });
  const midsize = syntheticProfile({ ...SYNTHETIC_PRESETS.large, samples: 4000, seed: 1 });
  const small = [
    { name: 'a medium synthetic profile, gzipped by one call', profile: medium },
    { name: 'a profile under a piece, gzipped in two', profile: midsize },
  ];

  it('covers each way of compressing: written in several pieces, in two, by one call', () => {
    for (const { profile } of large) expect(encodeProfileRaw(profile).length).toBeGreaterThan(2 * C);
    expect(encodeProfileRaw(midsize).length).toBeGreaterThan(ONE_CALL);
    expect(encodeProfileRaw(midsize).length).toBeLessThan(C);
    expect(encodeProfileRaw(medium).length).toBeLessThanOrEqual(ONE_CALL);
  });

  it.each([...large, ...small])('gives the bytes encodeProfile gives, once gunzipped, as one gzip member: $name', async ({ profile }) => {
    const parallel = await encodeProfileAsync(profile);
    parseOneMember(parallel);
    // Equal raw bytes decode to equal profiles; comparing decoded profiles field by field takes seconds.
    expect(Buffer.from(unwrapProfileBytes(parallel)).equals(Buffer.from(unwrapProfileBytes(encodeProfile(profile))))).toBe(true);
    const decoded = decodeProfile(parallel);
    expect([decoded.samples.length, totals(decoded)]).toEqual([profile.samples.length, totals(profile)]);
  });
});

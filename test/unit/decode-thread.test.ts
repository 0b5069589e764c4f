import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProfile, DEFAULT_MAX_PROFILE_BYTES, encodeProfile, encodeProfileRaw, isProfileError, mergeProfiles, ProfileMerger, type Profile } from '../../lib/pprof';
import { decodeAhead, DecodeThread } from '../../lib/threads/decode-thread';
import { listFixtures, readFixture } from '../helpers/fixtures';
import { syntheticProfile } from '../helpers/synthetic';

/** What a decode gives: a digest of the profile re-encoded, or the refusal's class, code and message. */
async function outcome(decode: () => Promise<Profile> | Profile): Promise<{ sha1: string } | { refused: string }> {
  try {
    return { sha1: createHash('sha1').update(encodeProfileRaw(await decode())).digest('hex') };
  } catch (err) {
    if (!isProfileError(err)) throw err;
    return { refused: `${err.name} ${err.code}: ${err.message}` };
  }
}

const thread = new DecodeThread();
beforeAll(async () => expect(await thread.start()).toBe(true));
afterAll(() => thread.close());

const gzipped = encodeProfile(syntheticProfile({ seed: 1, functions: 64, samples: 40, maxDepth: 6 }));
const broken: Array<[string, Uint8Array, number]> = [
  ['empty input', new Uint8Array(0), DEFAULT_MAX_PROFILE_BYTES],
  ['a gzip stream cut short', gzipped.subarray(0, gzipped.length / 2), DEFAULT_MAX_PROFILE_BYTES],
  ['a corrupt gzip stream', Buffer.concat([gzipped.subarray(0, 12), Buffer.alloc(40, 0xff)]), DEFAULT_MAX_PROFILE_BYTES],
  ['a gzip bomb', gzipSync(Buffer.alloc(8 * 1024 * 1024)), 1024 * 1024],
  ['a raw profile over the limit', encodeProfileRaw(syntheticProfile({ seed: 2, functions: 64, samples: 40, maxDepth: 6 })), 100],
  ['a legacy text profile, gzipped', gzipSync(Buffer.from('heap profile: 1: 2 [3: 4] @ heapprofile\n')), DEFAULT_MAX_PROFILE_BYTES],
  ['protobuf cut inside a sample', encodeProfileRaw(syntheticProfile({ seed: 3, functions: 64, samples: 40, maxDepth: 6 })).subarray(0, 300), DEFAULT_MAX_PROFILE_BYTES],
];

/** A profile whose one location lies above 2^53, and with labels: the parts of the columns that are not typed arrays. */
function unusual(): Profile {
  const fn = { id: 1, name: 'main', systemName: 'main', filename: 'main.go', startLine: 1 };
  const mapping = {
    id: 1, memoryStart: 0x400000n, memoryLimit: 0xffffffffffffffffn, fileOffset: 0n, file: '/bin/app', buildId: '',
    hasFunctions: true, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false,
  };
  const location = { id: 1, mapping, address: 0xffffffff81000000n, lines: [{ fn, line: 3, column: 0 }], isFolded: false };
  return {
    sampleTypes: [{ type: 'alloc_space', unit: 'bytes' }], defaultSampleType: '', mappings: [mapping], locations: [location], functions: [fn],
    samples: [
      { locations: [location], values: [7], labels: [{ key: 'bytes', str: '', num: 2 ** 40, numUnit: 'bytes' }] },
      { locations: [location], values: [5], labels: [{ key: 'span', str: 'é☃', num: 0, numUnit: '' }] },
    ],
    dropFrames: '', keepFrames: '', timeNanos: 1_700_000_000_000_000_000n, durationNanos: 10, periodType: null, period: 0, comments: ['c'], docUrl: '',
  };
}

describe('DecodeThread', () => {
  it('decodes every shared fixture to the same profile as decodeProfile, or refuses it with the same ProfileError', async () => {
    for (const file of listFixtures()) {
      const bytes = readFixture(file);
      expect(await outcome(() => thread.decode(bytes)), file).toEqual(await outcome(() => decodeProfile(bytes)));
    }
  });

  it('keeps addresses above 2^53, labels and header fields', async () => {
    const bytes = encodeProfile(unusual());
    const decoded = await thread.decode(bytes);
    expect(decoded.locations[0].address).toBe(0xffffffff81000000n);
    expect(decoded.samples.map((s) => s.labels)).toEqual(unusual().samples.map((s) => s.labels));
    expect(decoded.timeNanos).toBe(1_700_000_000_000_000_000n);
    expect(await outcome(() => decoded)).toEqual(await outcome(() => decodeProfile(bytes)));
  });

  it.each(broken)('refuses %s as decodeProfile does', async (_, bytes, maxBytes) => {
    const expected = await outcome(() => decodeProfile(bytes, { maxBytes }));
    expect(expected).toHaveProperty('refused');
    expect(await outcome(() => thread.decode(bytes, maxBytes))).toEqual(expected);
  });

  it('leaves the caller its bytes: a slice of a larger buffer is copied, not moved', async () => {
    const whole = Buffer.concat([Buffer.alloc(16), gzipped]);
    const slice = whole.subarray(16);
    await thread.decode(slice);
    expect(whole.byteLength).toBe(16 + gzipped.length);
    expect(Buffer.compare(slice, gzipped)).toBe(0);
  });

  it('leaves the caller an uncompressed profile it decoded on the calling thread', async () => {
    const warned = new Promise((resolve) => process.once('warning', resolve));
    const unstartable = new DecodeThread(() => Promise.reject(new Error('no bundle')));
    const raw = Uint8Array.from(encodeProfileRaw(unusual()));
    const copy = Buffer.from(raw);
    expect(await outcome(() => unstartable.decode(raw))).toEqual(await outcome(() => decodeProfile(copy)));
    expect(Buffer.compare(raw, copy)).toBe(0);
    await warned;
  });

  it('refuses what a stopped thread held, saying so, and starts another for the next profile', async () => {
    const stopping = new DecodeThread();
    await stopping.start();
    const held = stopping.decode(encodeProfile(syntheticProfile({ seed: 4, functions: 2000, samples: 4000, maxDepth: 24 })));
    await stopping.close();
    await expect(held).rejects.toThrow(/the decoding thread exited/);
    expect(await stopping.start()).toBe(true);
    expect(await outcome(() => stopping.decode(gzipped))).toEqual(await outcome(() => decodeProfile(gzipped)));
    await stopping.close();
  });

  it('decodes on the calling thread, with a warning, when the thread cannot start', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const unstartable = new DecodeThread(() => Promise.reject(new Error('esbuild is missing')));
      expect(await unstartable.start()).toBe(false);
      expect(await outcome(() => unstartable.decode(gzipped))).toEqual(await outcome(() => decodeProfile(gzipped)));
      expect(await outcome(() => unstartable.decode(broken[1][1]))).toEqual(await outcome(() => decodeProfile(broken[1][1])));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual(['profd decodes profiles on its main thread: the decoding thread did not start (esbuild is missing)']);
  });
});

describe('decodeAhead', () => {
  const profiles = Array.from({ length: 9 }, (_, i) => encodeProfile(syntheticProfile({ seed: i + 1, functions: 64, samples: 20, maxDepth: 5 })));

  it('yields every item in order with its decoded profile, whatever the depth', async () => {
    const expected = await Promise.all(profiles.map((p, i) => outcome(() => decodeProfile(p)).then((o) => [i, o])));
    for (const depth of [1, 3, 20]) {
      const seen: unknown[] = [];
      for await (const { item, profile } of decodeAhead(profiles.keys(), (i) => profiles[i], DEFAULT_MAX_PROFILE_BYTES, depth, thread)) {
        seen.push([item, await outcome(() => profile)]);
      }
      expect(seen).toEqual(expected);
    }
  });

  it('merges to the same bytes as merging on one thread', async () => {
    const merger = new ProfileMerger();
    for await (const { profile } of decodeAhead(profiles, (p) => p, DEFAULT_MAX_PROFILE_BYTES, 4, thread)) merger.add(await profile);
    const oneThread = mergeProfiles(profiles.map((p) => decodeProfile(p)));
    expect(Buffer.compare(encodeProfileRaw(merger.result()), encodeProfileRaw(oneThread))).toBe(0);
  });

  it('hands profiles to a starting thread even when nothing else lets the event loop turn', async () => {
    // Files read synchronously and merged synchronously: the thread's start is only seen if decoding yields.
    const starting = new DecodeThread();
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const merger = new ProfileMerger();
    let added = 0;
    for await (const { profile } of decodeAhead(Array(400).fill(profiles[0]), (p) => p, DEFAULT_MAX_PROFILE_BYTES, 4, starting)) {
      merger.add(await profile);
      added++;
      if (starting.decodedOnThread > 0) break;
      Atomics.wait(pause, 0, 0, 5);
    }
    expect(starting.decodedOnThread).toBeGreaterThan(0);
    expect(added).toBeLessThan(400);
    await starting.close();
  });

  it('reports a broken profile at its own item, after the good ones before it', async () => {
    const stream = [profiles[0], profiles[1], gzipped.subarray(0, 15), profiles[2]];
    const results: string[] = [];
    for await (const { profile } of decodeAhead(stream, (b) => b, DEFAULT_MAX_PROFILE_BYTES, 3, thread)) {
      results.push(await profile.then(() => 'ok', (err: { code: string }) => err.code));
    }
    expect(results).toEqual(['ok', 'ok', 'truncated', 'ok']);
  });

  it('stops reading its source when the caller stops early, leaving no unhandled refusal', async () => {
    let read = 0;
    function* source() {
      for (let i = 0; i < 100; i++) {
        read++;
        yield i;
      }
    }
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for await (const { item } of decodeAhead(source(), () => new Uint8Array(0), DEFAULT_MAX_PROFILE_BYTES, 2, thread)) if (item === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(read).toBe(4);
    expect(unhandled).toEqual([]);
  });
});

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PROFILE_BYTES, encodeProfile, encodeProfileRaw, inflateAhead, unwrapProfileBytes, unwrapProfileBytesAsync } from '../../lib/pprof';
import { listFixtures, readFixture } from '../helpers/fixtures';
import { syntheticProfile } from '../helpers/synthetic';

/** What an unwrap gives: a digest of the bytes (vitest compares megabyte buffers slowly), or the refusal. */
async function outcome(run: () => Promise<Uint8Array> | Uint8Array): Promise<{ sha1: string } | { code: string; message: string }> {
  try {
    return { sha1: createHash('sha1').update(await run()).digest('hex') };
  } catch (err) {
    const { code, message } = err as { code: string; message: string };
    return { code, message };
  }
}

const gzipped = encodeProfile(syntheticProfile({ seed: 1, functions: 64, samples: 40, maxDepth: 6 }));
const broken: Array<[string, Uint8Array, number]> = [
  ['empty input', new Uint8Array(0), DEFAULT_MAX_PROFILE_BYTES],
  ['a gzip stream cut short', gzipped.subarray(0, gzipped.length / 2), DEFAULT_MAX_PROFILE_BYTES],
  ['a corrupt gzip stream', Buffer.concat([gzipped.subarray(0, 12), Buffer.alloc(40, 0xff)]), DEFAULT_MAX_PROFILE_BYTES],
  ['a gzip bomb', gzipSync(Buffer.alloc(8 * 1024 * 1024)), 1024 * 1024],
  ['an empty gzip stream', gzipSync(Buffer.alloc(0)), DEFAULT_MAX_PROFILE_BYTES],
  ['a raw profile over the limit', encodeProfileRaw(syntheticProfile({ seed: 2, functions: 64, samples: 40, maxDepth: 6 })), 100],
  ['a legacy text profile, gzipped', gzipSync(Buffer.from('heap profile: 1: 2 [3: 4] @ heapprofile\n')), DEFAULT_MAX_PROFILE_BYTES],
];

describe('unwrapProfileBytesAsync', () => {
  it.each(broken)('refuses %s exactly as the synchronous unwrap does', async (_, bytes, maxBytes) => {
    const sync = await outcome(() => unwrapProfileBytes(bytes, maxBytes));
    expect(sync).toHaveProperty('code');
    expect(await outcome(() => unwrapProfileBytesAsync(bytes, maxBytes))).toEqual(sync);
  });

  it('inflates every shared fixture to the same bytes as the synchronous unwrap', async () => {
    for (const file of listFixtures()) {
      const bytes = readFixture(file);
      expect(await outcome(() => unwrapProfileBytesAsync(bytes)), file).toEqual(await outcome(() => unwrapProfileBytes(bytes)));
    }
  });
});

describe('inflateAhead', () => {
  const profiles = Array.from({ length: 9 }, (_, i) => encodeProfile(syntheticProfile({ seed: i + 1, functions: 64, samples: 20, maxDepth: 5 })));

  it('yields every item in order with its raw bytes, whatever the depth', async () => {
    for (const depth of [1, 3, 20]) {
      const seen: Array<[number, Buffer]> = [];
      for await (const { item, raw } of inflateAhead(profiles.keys(), (i) => profiles[i], DEFAULT_MAX_PROFILE_BYTES, depth)) seen.push([item, Buffer.from(await raw)]);
      expect(seen).toEqual(profiles.map((p, i) => [i, unwrapProfileBytes(p)]));
    }
  });

  it('reports a broken profile at its own item, after the good ones before it', async () => {
    const stream = [profiles[0], profiles[1], Buffer.from('not a profile at all'), profiles[2]];
    const results: string[] = [];
    for await (const { raw } of inflateAhead(stream, (b) => (b.length > 30 ? b : gzipSync(b).subarray(0, 15)), DEFAULT_MAX_PROFILE_BYTES, 3)) {
      results.push(await raw.then(() => 'ok', (err: { code: string }) => err.code));
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
      for await (const { item } of inflateAhead(source(), () => new Uint8Array(0), DEFAULT_MAX_PROFILE_BYTES, 2)) if (item === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(read).toBe(4);
    expect(unhandled).toEqual([]);
  });
});

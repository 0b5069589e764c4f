import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeProfile, encodeProfile, isProfileError, unwrapProfileBytes } from '../../lib/pprof';
import { summarizeProfile, summaryOf, type ProfileSummary } from '../../lib/pprof/summary';
import { listFixtures, readFixture } from '../helpers/fixtures';
import { SYNTHETIC_PRESETS, syntheticProfile } from '../helpers/synthetic';

/** The summary, or the refusal's code and message: so accepting and refusing compare alike. */
function outcome(summarize: (bytes: Uint8Array) => ProfileSummary, bytes: Uint8Array): ProfileSummary | { code: string; message: string } {
  try {
    return summarize(bytes);
  } catch (err) {
    if (isProfileError(err)) return { code: err.code, message: err.message };
    throw err;
  }
}

const viaModel = (bytes: Uint8Array) => summaryOf(decodeProfile(bytes));

/** summarizeProfile must accept and refuse exactly what decodeProfile does, and agree on what it stores. */
function expectSameAsDecode(bytes: Uint8Array, what: string): void {
  expect(outcome(summarizeProfile, bytes), what).toEqual(outcome(viaModel, bytes));
}

describe('summarizeProfile', () => {
  it.each(listFixtures())('agrees with the decoded model on %s', (name) => {
    expectSameAsDecode(readFixture(name), name);
  });

  it('gives the totals go tool pprof reports', () => {
    expect(summarizeProfile(readFixture('dd-trace-go__heap.pprof')).totals).toEqual([12093902, 1563150773, 27657, 3672576]);
  });

  it('agrees on a medium synthetic profile after smaller ones, so reused columns carry nothing over', () => {
    const small = readFixture('dd-trace-go__block.after.pprof');
    const large = encodeProfile(syntheticProfile({ seed: 1, ...SYNTHETIC_PRESETS.medium, labels: 3 }));
    for (const bytes of [small, large, small, large]) expectSameAsDecode(bytes, `${bytes.length} bytes`);
  });

  it('refuses a profile cut anywhere, and a gzip stream cut short, with the same error as decodeProfile', () => {
    const heap = unwrapProfileBytes(readFixture('dd-trace-go__heap.pprof'));
    for (let k = 0; k < 200; k++) {
      const cut = 1 + Math.floor((k * (heap.length - 2)) / 200);
      expectSameAsDecode(heap.subarray(0, cut), `cut at ${cut}`);
    }
    const gz = gzipSync(heap);
    expect(outcome(summarizeProfile, gz.subarray(0, gz.length / 2))).toMatchObject({ code: 'truncated' });
  });

  it('refuses whichever bit of a profile is flipped exactly as decodeProfile does', () => {
    const small = unwrapProfileBytes(readFixture('dd-trace-go__block.before.pprof'));
    const codes = new Set<string>();
    for (let bit = 0; bit < small.length * 8; bit++) {
      const flipped = Uint8Array.from(small);
      flipped[bit >> 3] ^= 1 << (bit & 7);
      const expected = outcome(viaModel, flipped);
      codes.add('code' in expected ? String(expected.code) : 'accepted');
      expect(outcome(summarizeProfile, flipped), `bit ${bit}`).toEqual(expected);
    }
    // The flips reach every kind of refusal a stored profile can meet.
    expect([...codes].sort()).toEqual(['accepted', 'invalid_reference', 'invalid_value', 'not_pprof', 'truncated']);
  });

  it('refuses what is not a profile, and a body over the size limit', () => {
    expect(outcome(summarizeProfile, new TextEncoder().encode('<html>not found</html>'))).toMatchObject({ code: 'not_pprof' });
    expect(outcome(summarizeProfile, new Uint8Array(0))).toMatchObject({ code: 'empty' });
    expect(outcome((b) => summarizeProfile(b, { maxBytes: 1000 }), readFixture('parca__alloc_objects.pb.gz'))).toMatchObject({ code: 'too_large' });
  });
});

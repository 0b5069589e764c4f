import { describe, expect, it } from 'vitest';
import { Scan } from '../../lib/pprof/decode-scan';
import { StringTable } from '../../lib/pprof/decode-tables';
import { HashChains } from '../../lib/pprof/hash-chains';
import { StringPool } from '../../lib/pprof/string-pool';
import { WireReader } from '../../lib/pprof/wire';

/** The merge's hash tables: a wrong match here would silently merge two different functions or stacks. */

/**
 * The string table of an encoded profile holding only `strings` (after the required ""), shifted by
 * `padding` bytes (0, or 3 and more) of an unknown field so the strings lie at other offsets.
 */
function encodedStrings(strings: readonly (string | Uint8Array)[], padding = 0): StringTable {
  // Field 16, a varint of padding - 2 bytes: profile.proto has no field 16, so the scan skips it.
  const parts: number[] = padding === 0 ? [] : [0x80, 0x01, ...new Array<number>(padding - 3).fill(0x80), 0x00];
  for (const s of ['', ...strings]) {
    const bytes = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
    parts.push(6 * 8 + 2, bytes.length, ...bytes);
  }
  const r = new WireReader(Uint8Array.from(parts));
  return new StringTable(r, new Scan().read(r).strings);
}

describe('HashChains', () => {
  it('keeps every entry of one hash, newest first', () => {
    const chains = new HashChains();
    for (let entry = 0; entry < 5; entry++) chains.add(42, entry);
    const seen: number[] = [];
    for (let e = chains.first(42); e >= 0; e = chains.next(e)) seen.push(e);
    expect(seen).toEqual([4, 3, 2, 1, 0]);
    expect(chains.first(43)).toBe(-1);
  });

  it('keeps hashes that share a slot apart, through growth', () => {
    const chains = new HashChains();
    // Multiples of 2^20 fall in slot 0 of every table up to a million slots: all probe one run.
    const hashes = Array.from({ length: 4000 }, (_, i) => (i % 2 === 0 ? i * 0x100000 : -i) | 0);
    hashes.forEach((hash, entry) => chains.add(hash, entry));
    hashes.forEach((hash, entry) => {
      expect(chains.first(hash)).toBe(entry);
      expect(chains.next(entry)).toBe(-1);
    });
    expect(chains.first(7)).toBe(-1);
  });
});

describe('StringPool.internEncoded', () => {
  // Lengths 0–9 cover every tail after the four-byte words; the pairs differ only in their last byte.
  const strings = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'abcdefg', 'abcdefgh', 'abcdefghi', 'abcdefghj', 'abcdefgi', 'abce', 'runtime.main', 'runtime.mainx', 'μs', 'naïve/файл.go'];

  it('numbers each distinct string once, as intern does, wherever its bytes lie', () => {
    const pool = new StringPool();
    const first = encodedStrings(strings);
    const ids = strings.map((_, i) => pool.internEncoded(first, i + 1));
    expect(new Set(ids).size).toBe(strings.length);
    expect(ids.map((id) => pool.values[id])).toEqual(strings);
    for (let padding = 3; padding <= 6; padding++) {
      const shifted = encodedStrings([...strings].reverse(), padding);
      expect(strings.map((_, i) => pool.internEncoded(shifted, strings.length - i))).toEqual(ids);
    }
    expect(strings.map((s) => pool.intern(s))).toEqual(ids);
  });

  it('tells apart strings of equal length that differ anywhere', () => {
    const pool = new StringPool();
    const variants = Array.from({ length: 11 }, (_, at) => 'x'.repeat(at) + 'y' + 'x'.repeat(10 - at));
    const table = encodedStrings(['x'.repeat(11), ...variants]);
    const ids = Array.from({ length: 12 }, (_, i) => pool.internEncoded(table, i + 1));
    expect(new Set(ids).size).toBe(12);
  });

  it('numbers invalid UTF-8 as the string it decodes to', () => {
    const pool = new StringPool();
    const table = encodedStrings([Uint8Array.of(0x61, 0xff), 'a\ufffd']);
    expect(pool.internEncoded(table, 1)).toBe(pool.internEncoded(table, 2));
  });
});

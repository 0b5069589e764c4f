import { describe, expect, it } from 'vitest';
import { Scan } from '../../lib/pprof/decode-scan';
import { StringTable } from '../../lib/pprof/decode-tables';
import { HashChains } from '../../lib/pprof/hash-chains';
import { SampleBatch, SampleTable, stackHash } from '../../lib/pprof/sample-table';
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

describe('SampleTable', () => {
  it('merges stacks across pool chunks, a stack deeper than a chunk included, losing none', () => {
    const table = new SampleTable(2);
    const stack = new Int32Array(9);
    const stackOf = (i: number) => {
      for (let j = 0; j < 9; j++) stack[j] = i * 7 + j;
      return stack;
    };
    // 200,000 stacks of depth 9 fill 1.8 million entries: the first chunk grows, then two more follow.
    const count = 200_000;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < count; i++) table.add(stackOf(i), 9, 0, [], [1, i]);
    }
    const deep = new Int32Array(1_500_000).map((_, j) => j - 7);
    table.add(deep, deep.length, 0, [], [5, 5]);
    table.add(stackOf(1), 9, 0, [], [-2, -2]);
    const columns = table.nonZeroColumns();
    expect(columns.count).toBe(count);
    const last = count - 1;
    // Sample 1 summed to zero and is dropped, so the last stack sits at `last - 1`; the deep one after it.
    expect(Array.from(columns.stacks.subarray(columns.stackStart[last - 1], columns.stackStart[last]))).toEqual(Array.from(stackOf(last)));
    expect(Array.from(columns.values.subarray(2 * (last - 1), 2 * last))).toEqual([2, 2 * last]);
    const kept = columns.stacks.subarray(columns.stackStart[last], columns.stackStart[last + 1]);
    expect(kept.length).toBe(deep.length);
    expect(kept.findIndex((id, j) => id !== deep[j])).toBe(-1);
    expect(Array.from(columns.values.subarray(2 * last))).toEqual([5, 5]);
    expect(Array.from(columns.values.subarray(0, 4))).toEqual([2, 0, 2, 4]);
  });

  it('keeps stacks with equal ids but different label sets or depths apart', () => {
    const table = new SampleTable(1);
    const stack = Int32Array.from([1, 2, 3]);
    table.add(stack, 3, 0, [], [1]);
    table.add(stack, 2, 0, [], [10]);
    table.add(stack, 3, 1, [], [100]);
    table.add(stack, 3, 0, [], [1000]);
    const columns = table.nonZeroColumns();
    expect(Array.from(columns.values)).toEqual([1001, 10, 100]);
    expect(Array.from(columns.stackStart)).toEqual([0, 3, 5, 8]);
  });

  it('adds a batch as add does one sample at a time, through hash collisions and repeats within the batch', () => {
    // Two stacks [id, id] whose hashes collide, found by a birthday search (~2^16 ids): one-frame
    // stacks never collide, as each step of stackHash is a bijection of its word.
    const byHash = new Map<number, number>();
    let pair: [number, number] | undefined;
    for (let id = 0; pair === undefined; id++) {
      const hash = stackHash(Int32Array.of(id, id), 0, 2, 0);
      const other = byHash.get(hash);
      if (other !== undefined) pair = [other, id];
      else byHash.set(hash, id);
    }
    const [a, b] = pair;
    const samples: [number[], number, number][] = [[[a, a], 0, 1], [[7, 8], 0, 2], [[b, b], 0, 4], [[7, 8], 1, 8], [[b, b], 0, 16], [[9], 0, 32], [[a, a], 0, 64], [[7, 8], 0, 128]];
    const oneByOne = new SampleTable(1);
    const batched = new SampleTable(1);
    // The first two are known before the batch, as from an earlier profile.
    for (const table of [oneByOne, batched]) for (const [stack, labelSet, value] of samples.slice(0, 2)) table.add(Int32Array.from(stack), stack.length, labelSet, [], [value]);
    const batch = new SampleBatch();
    batch.reset(samples.length, 16, 1, [[]]);
    let used = 0;
    for (const [stack, labelSet, value] of samples.slice(2)) {
      for (const id of stack) batch.stacks[used++] = id;
      batch.stackStart[++batch.count] = used;
      batch.labelSets[batch.count - 1] = labelSet;
      batch.hashes[batch.count - 1] = stackHash(Int32Array.from(stack), 0, stack.length, labelSet);
      batch.values[batch.count - 1] = value;
      oneByOne.add(Int32Array.from(stack), stack.length, labelSet, [], [value]);
    }
    batched.addAll(batch);
    const expected = oneByOne.nonZeroColumns();
    const actual = batched.nonZeroColumns();
    expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
    expect(Array.from(actual.values)).toEqual([65, 130, 20, 8, 32]);
    expect(Array.from(actual.stacks)).toEqual(Array.from(expected.stacks));
  });
});


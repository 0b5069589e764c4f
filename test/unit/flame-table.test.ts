import { describe, expect, it } from 'vitest';
import { buildCallTree } from '../../lib/pprof/calltree';
import { buildDiffCallTree } from '../../lib/pprof/calltree-diff';
import { decodeProfile } from '../../lib/pprof/decode';
import { parseFolded } from '../../lib/pprof/folded';
import { functionRows, type FunctionRow } from '../../lib/flame/table';
import { listFixtures, readExpected, readFixture } from '../helpers/fixtures';

const folded = (text: string) => parseFolded(text, { sampleType: 'samples', unit: 'count' });
const byName = (rows: FunctionRow[]) => Object.fromEntries(rows.map(({ name, ...values }) => [name, values]));

// pprof marks a function seen only inlined; the call tree names it plainly.
const INLINE_SUFFIX = / \((?:partial-)?inline\)$/;

const topCases = listFixtures()
  .filter((file) => file.endsWith('.pb.gz'))
  .flatMap((file) => readExpected(file).tops.map((top) => ({ file, ...top })));

describe('functionRows', () => {
  it.each(topCases)('$file, sample index $sampleIndex: the top rows by flat are pprof\'s -top rows', ({ file, sampleIndex, rows: expected, total }) => {
    const rows = functionRows(buildCallTree(decodeProfile(readFixture(file)), sampleIndex));
    // pprof's -top: functions whose |cum| reaches 0.5% of the total, by |flat|, then name.
    const cutoff = Math.trunc(total * 0.005);
    const shown = rows
      .filter((row) => Math.abs(row.cum) >= cutoff)
      .sort((a, b) => Math.abs(b.flat) - Math.abs(a.flat) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, expected.length);
    expect(shown).toEqual(expected.map((row) => ({ name: row.name.replace(INLINE_SUFFIX, ''), flat: row.flat, cum: row.cum })));
  });

  it.each([
    ['flat at the leaf, cum on every frame', 'main;a;b 3\nmain;a 2\n', { main: { flat: 0, cum: 5 }, a: { flat: 2, cum: 5 }, b: { flat: 3, cum: 3 } }],
    ['recursion counted once per stack', 'main;fib;fib 4\nmain;fib;fib;fib 8\n', { main: { flat: 0, cum: 12 }, fib: { flat: 12, cum: 12 } }],
    ['mutual recursion counted once per stack', 'a;b;a;b 5\na 1\n', { a: { flat: 1, cum: 6 }, b: { flat: 5, cum: 5 } }],
    ['one function under several callers summed', 'x;log 2\ny;log 3\n', { x: { flat: 0, cum: 2 }, y: { flat: 0, cum: 3 }, log: { flat: 5, cum: 5 } }],
    ['a function named root is not the root', 'root;main 4\n', { root: { flat: 0, cum: 4 }, main: { flat: 4, cum: 4 } }],
  ])('%s', (_, text, want) => {
    expect(byName(functionRows(buildCallTree(folded(text), 0)))).toEqual(want);
  });

  it('in a diff: flat and cum are after minus before, baseFlat and baseCum are before', () => {
    const tree = buildDiffCallTree(folded('main;fib;fib 10\nmain;gone 4\n'), folded('main;fib;fib 16\nmain;new 1\n'), 0);
    expect(byName(functionRows(tree))).toEqual({
      main: { flat: 0, cum: 3, baseFlat: 0, baseCum: 14 },
      fib: { flat: 6, cum: 6, baseFlat: 10, baseCum: 10 },
      gone: { flat: -4, cum: -4, baseFlat: 4, baseCum: 4 },
      new: { flat: 1, cum: 1, baseFlat: 0, baseCum: 0 },
    });
  });
});

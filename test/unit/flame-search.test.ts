import { describe, expect, it } from 'vitest';
import { nameMatcher, searchTree } from '@/lib/flame/search';
import { flameTree } from './flame-fixture';

describe('nameMatcher', () => {
  it('is null for an empty search', () => {
    expect(nameMatcher('')).toBeNull();
  });

  it('takes a valid search as a case-insensitive regular expression', () => {
    const test = nameMatcher('^runtime\\.(malloc|gc)')!;
    expect(test('runtime.mallocgc')).toBe(true);
    expect(test('RUNTIME.GCSTART')).toBe(true);
    expect(test('main.runtime.malloc')).toBe(false);
  });

  it('takes an invalid regular expression as a case-insensitive substring', () => {
    const test = nameMatcher('pkg.(*t')!;
    expect(test('github.com/a/pkg.(*T).Method')).toBe(true);
    expect(test('github.com/a/pkg.T.Method')).toBe(false);
  });
});

describe('searchTree', () => {
  it('is null without a search', () => {
    expect(searchTree(flameTree({ a: 1 }), '')).toBeNull();
  });

  it('counts matching frames and their share, a match inside another counted once', () => {
    const tree = flameTree({ 'main;lock;work;lock': 4, 'main;lock': 2, 'main;other': 3, 'bg;lock': 1 });
    const found = searchTree(tree, 'LOCK')!;
    expect(found.count).toBe(3);
    // main;lock (6, with the nested lock's 4 inside it) + bg;lock (1).
    expect(found.value).toBe(7);
    expect(found.total).toBe(10);
    const matched = [...found.matches.keys()].filter((i) => found.matches[i] === 1).map((i) => tree.names[tree.name[i]]);
    expect(matched).toEqual(['lock', 'lock', 'lock']);
  });

  it('finds nothing when nothing matches', () => {
    const found = searchTree(flameTree({ 'a;b': 1 }), 'zzz')!;
    expect(found.count).toBe(0);
    expect(found.value).toBe(0);
  });

  it('measures a diff by its after side', () => {
    const diff = flameTree({ 'main;lock': 6, 'main;x': 4 }, { 'main;lock': 2, 'main;x': 8 });
    const found = searchTree(diff, 'lock')!;
    expect(found.value).toBe(6);
    expect(found.total).toBe(10);
  });
});

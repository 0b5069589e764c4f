import { describe, expect, it } from 'vitest';
import { decodeProfile } from '../../lib/pprof/decode';
import { encodeProfile } from '../../lib/pprof/encode';
import { isProfileError } from '../../lib/pprof/errors';
import { parseFolded, toFolded } from '../../lib/pprof/folded';
import { mergeProfiles } from '../../lib/pprof/merge';
import { totals } from '../../lib/pprof/sample-types';
import { readFixture } from '../helpers/fixtures';

const options = { sampleType: 'samples', unit: 'count' };

describe('folded stacks round trip', () => {
  it.each([
    ['one frame', 'main 1\n'],
    ['Brendan Gregg’s example', 'func_a;func_b;func_c 140\nfunc_a;func_b;func_d 30\nfunc_a;func_e 12\n'],
    ['a stack that is a prefix of another', 'main;a 10\nmain;a;b 5\n'],
    ['recursion', 'main;fib;fib;fib 3\n'],
    ['names with spaces and punctuation', 'Function:^ /usr/src/app/main.js:11;LazyCompile:*fib /usr/src/app/main.js:1 38\n[libc.so.6];<unknown> 2\n'],
    ['negative values from a diff', 'main;grew 7\nmain;shrank -3\n'],
    ['nothing', ''],
  ])('folded → profile → folded keeps %s', (_, text) => {
    expect(toFolded(parseFolded(text, options), 0)).toBe(text);
  });

  it('sums repeated stacks and sorts lines, so equal profiles give equal text', () => {
    expect(toFolded(parseFolded('b;c 1\na 2\r\n\nb;c 4\n', options), 0)).toBe('a 2\nb;c 5\n');
  });

  it('makes one function and one location per distinct frame', () => {
    const profile = parseFolded('main;a;b 1\nmain;b;a 2\nmain;a;b 4\n', options);
    expect(profile.functions.map((f) => f.name)).toEqual(['main', 'a', 'b']);
    expect(profile.locations).toHaveLength(3);
    expect(profile.samples.map((s) => [s.locations.map((l) => l.lines[0].fn.name).join(','), s.values[0]])).toEqual([
      ['b,a,main', 5],
      ['a,b,main', 2],
    ]);
    expect(profile.sampleTypes).toEqual([{ type: 'samples', unit: 'count' }]);
  });

  it('parses into a valid pprof profile that survives encoding', () => {
    const profile = parseFolded('main;serve;parse 40\nmain;gc 2\n', { sampleType: 'cpu', unit: 'nanoseconds' });
    const decoded = decodeProfile(encodeProfile(profile));
    expect(toFolded(decoded, 0)).toBe('main;gc 2\nmain;serve;parse 40\n');
  });
});

describe('toFolded of real profiles', () => {
  it.each([
    ['parca__two-stacks.pb.gz', 0, 'unwind failed;ChunkNotFound 52631578\nunwind failed;PcNotCovered 315789468\n'],
    ['google-pprof__go.nomappings.crash', 1, null],
    ['parca__profile1.pb.gz', 1, null],
    ['conprof__diff.pb.gz', 3, null],
  ])('%s (sample type %d) keeps every value and reads back the same', (name, index, expected) => {
    const profile = decodeProfile(readFixture(name));
    const folded = toFolded(profile, index);
    if (expected !== null) expect(folded).toBe(expected);
    const lines = folded.trimEnd().split('\n');
    expect(lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0)).toBe(totals(profile)[index]);
    expect(toFolded(parseFolded(folded, options), 0)).toBe(folded);
  });

  it('writes inlined frames as frames of their own', () => {
    const profile = mergeProfiles([decodeProfile(readFixture('parca__profile1.pb.gz'))]);
    const inlined = profile.locations.find((l) => l.lines.length > 1)!;
    const names = inlined.lines.map((l) => l.fn.name).reverse().join(';');
    expect(toFolded(profile, 1)).toContain(names);
  });
});

describe('parseFolded refuses bad input, naming the line', () => {
  it.each([
    ['main;work', /line 1: expected "frame;frame;… count", got "main;work"/],
    ['main 1\n\nmain;work x3', /line 3: expected/],
    ['main 1.5', /line 1: expected/],
    ['  7', /line 1: expected/],
    ['main;;work 2', /line 1: frame 2 of "main;;work" has no name/],
    [';main 2', /line 1: frame 1 of ";main" has no name/],
    ['main 123456789012345678901', /line 1: 123456789012345678901 is too large/],
  ])('%j', (text, message) => {
    let error: unknown;
    try {
      parseFolded(text, options);
    } catch (err) {
      error = err;
    }
    expect(isProfileError(error, 'invalid_value')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('needs a sample type and unit', () => {
    expect(() => parseFolded('main 1', { sampleType: '', unit: 'count' })).toThrow(/sample type and a unit/);
  });
});

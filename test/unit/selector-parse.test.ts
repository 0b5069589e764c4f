import { describe, expect, it } from 'vitest';
import { parseSelector, SelectorError, type LabelMatcher } from '../../lib/selector';

const m = (name: string, type: LabelMatcher['type'], value: string): LabelMatcher => ({ name, type, value });
const heap = m('__name__', '=', 'heap');

describe('parseSelector accepts', () => {
  it.each<[string, LabelMatcher[]]>([
    ['heap', [heap]],
    ['{__name__="heap"}', [heap]],
    ['{"heap"}', [heap]],
    ['heap{job="api"}', [heap, m('job', '=', 'api')]],
    ['heap{job="api",instance=~"10\\\\..*"}', [heap, m('job', '=', 'api'), m('instance', '=~', '10\\..*')]],
    ['heap{ job != "a" , env !~ "dev|test" , }', [heap, m('job', '!=', 'a'), m('env', '!~', 'dev|test')]],
    ['{job="api", "heap"}', [m('job', '=', 'api'), heap]],
    ['{"job"="api"}', [m('job', '=', 'api')]],
    ['go:memstats_alloc{job="a"}', [m('__name__', '=', 'go:memstats_alloc'), m('job', '=', 'a')]],
    ['heap # the comment is ignored', [heap]],
    ['{job="a", env=""}', [m('job', '=', 'a'), m('env', '=', '')]],
  ])('%s', (text, expected) => {
    expect(parseSelector(text)).toEqual(expected);
  });
});

describe('parseSelector unescapes strings as PromQL does', () => {
  it.each<[string, string]>([
    ['"api"', 'api'],
    ["'api'", 'api'],
    ['`a\\.b`', 'a\\.b'],
    ['"a\\"b"', 'a"b'],
    ["'a\\'b'", "a'b"],
    ['"tab\\tnewline\\n"', 'tab\tnewline\n'],
    ['"\\\\"', '\\'],
    ['"\\x41\\101\\u00e9\\U0001F600"', 'AAé😀'],
    ['"\\xc3\\xa9"', 'é'],
    ['"\'; DROP TABLE series; --"', "'; DROP TABLE series; --"],
    ['"1\' OR \'1\'=\'1"', "1' OR '1'='1"],
  ])('job=%s', (literal, value) => {
    expect(parseSelector(`{job=${literal}}`)).toEqual([m('job', '=', value)]);
  });
});

describe('parseSelector refuses, naming what was expected where', () => {
  it.each<[string, number, string]>([
    ['', 0, 'selector is empty'],
    ['   ', 0, 'selector is empty'],
    ['{job}', 4, 'expected "=", "!=", "=~" or "!~" after label name "job" at position 4, found "}"'],
    ['heap{job="a",env}', 16, 'after label name "env" at position 16'],
    ['heap{job=="a"}', 8, 'unknown matcher operator "==" at position 8'],
    ['heap{job<"a"}', 8, 'unknown matcher operator "<" at position 8'],
    ['heap{job=!"a"}', 8, 'unknown matcher operator "=!" at position 8'],
    ['heap{job=}', 9, 'expected a quoted value such as "api" after job= at position 9, found "}"'],
    ['heap{job=api}', 9, 'expected a quoted value such as "api" after job= at position 9, found "api"'],
    ['heap{job="a" env="b"}', 13, 'expected "," or "}" at position 13, found "env"'],
    ['heap{job="a",,}', 13, 'expected a label name or "}" after "," at position 13, found ","'],
    ['heap{1job="a"}', 5, 'expected a label name or "}" at position 5, found "1job"'],
    ['{job="a"', 8, 'found end of input; the "{" at position 0 is never closed'],
    ['heap{', 5, 'the "{" at position 4 is never closed'],
    ['heap}', 4, 'unbalanced braces: "}" at position 4 has no matching "{"'],
    ['heap{job="a"}}', 13, 'unbalanced braces'],
    ['heap{job="a"} heap', 14, 'expected the end of the selector at position 14, found "heap"'],
    ['{job="a}', 5, 'unterminated string at position 5: close it with "'],
    ["{job='a", 5, "close it with '"],
    ['{job="a\\q"}', 7, 'unknown escape sequence "\\q" at position 7'],
    ['{job="\\u12"}', 6, 'needs 4 hex digits after \\u'],
    ['{job="\\uD800"}', 6, 'not a valid Unicode code point'],
    ['{job="\\xff"}', 5, 'not valid UTF-8'],
    ['{job="\\x00"}', 5, 'contains a NUL character'],
    ['{"foo.bar"="x"}', 1, 'label name "foo.bar" at position 1 is not valid'],
    ['{job=~"("}', 6, 'invalid regex at position 6 (label "job"): Unterminated group'],
    ['{job=~"a)|(b"}', 6, "Unmatched ')'"],
    ['{job=~"\\\\Aapi"}', 6, 'escape \\A is not supported'],
    ['heap[5m]', 4, 'range selectors such as [5m] are not supported at position 4'],
    ['rate(heap[1m])', 0, 'functions such as rate() are not supported'],
    ['sum by (job) (heap)', 0, 'aggregations such as sum are not supported'],
    ['heap + heap', 5, 'operators such as "+" are not supported at position 5'],
    ['{job="a"} or heap', 10, 'operators such as "or" are not supported'],
    ['heap offset 5m', 5, 'offset modifiers are not supported'],
    ['heap @ 100', 5, '@ modifiers are not supported'],
    ['(heap)', 0, 'parentheses are not supported'],
    ['"heap"', 0, 'bare strings are not supported'],
    ['bool{job="a"}', 0, 'expected a selector such as heap{job="api"} at position 0, found "bool"'],
    ['heap{__name__="alloc"}', 5, 'profile type set twice: "heap" and again at position 5'],
    ['{}', 0, 'selector would match every series'],
    ['{job=~".*"}', 0, 'selector would match every series'],
    ['{job!="api", env=""}', 0, 'selector would match every series'],
  ])('%s', (text, position, message) => {
    const error = catchError(() => parseSelector(text));
    expect(error).toBeInstanceOf(SelectorError);
    expect(error.message).toContain(message);
    expect((error as SelectorError).position).toBe(position);
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

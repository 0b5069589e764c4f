import { describe, expect, it } from 'vitest';
import { parseSelector, printSelector, type LabelMatcher } from '../../lib/selector';

const m = (name: string, type: LabelMatcher['type'], value: string): LabelMatcher => ({ name, type, value });

describe('printSelector', () => {
  it.each<[LabelMatcher[], string]>([
    [[m('__name__', '=', 'heap')], 'heap'],
    [[m('__name__', '=', 'heap'), m('job', '=', 'api'), m('env', '!~', 'dev|test')], 'heap{job="api", env!~"dev|test"}'],
    [[m('job', '=', 'api')], '{job="api"}'],
    [[m('job', '=', 'api'), m('__name__', '=', 'heap')], '{job="api", __name__="heap"}'],
    [[m('__name__', '=~', 'heap|cpu')], '{__name__=~"heap|cpu"}'],
    [[m('__name__', '=', 'heap'), m('__name__', '!=', 'x')], '{__name__="heap", __name__!="x"}'],
    [[m('__name__', '=', 'go.heap')], '{__name__="go.heap"}'],
    [[m('__name__', '=', 'offset')], '{__name__="offset"}'],
    [[m('__name__', '=', 'bool')], '{__name__="bool"}'],
    [[m('__name__', '=', 'Inf')], '{__name__="Inf"}'],
    [[m('__name__', '=', 'nan')], '{__name__="nan"}'],
    [[m('job', '=', 'say "hi"\\\n')], '{job="say \\"hi\\"\\\\\\n"}'],
  ])('%j → %s', (matchers, text) => {
    expect(printSelector(matchers)).toBe(text);
  });
});

describe('parseSelector(printSelector(x)) gives x back', () => {
  it.each([
    'heap',
    'heap{job="api",instance=~"10\\\\..*"}',
    '{job="a", __name__="heap"}',
    "{job='single', env=`raw\\path`}",
    'goroutine{pod=~"(?i)API-.*", env!="", zone!~"us-.*"}',
    '{__name__="bool", job="x"}',
  ])('selector %s', (text) => {
    const parsed = parseSelector(text);
    expect(parseSelector(printSelector(parsed))).toEqual(parsed);
  });

  it.each([
    "'; DROP TABLE series; --",
    'quote " and backslash \\ and newline \n and tab \t',
    'control \u0001 \u007f',
    'unicode é 😀 \u2028',
    '`backtick` and \'single\'',
    '{"braces"}',
  ])('value %j', (value) => {
    const matchers = [m('__name__', '=', 'heap'), m('job', '=', value), m('env', '!=', value)];
    expect(parseSelector(printSelector(matchers))).toEqual(matchers);
  });
});

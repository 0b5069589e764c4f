import { describe, expect, it } from 'vitest';
import { matchesLabels, parseSelector, type Labels } from '../../lib/selector';
import { matcherRegex } from '../../lib/selector/match';
import { compileLabelRegex } from '../../lib/selector/regex';

const heapApi: Labels = { __name__: 'heap', job: 'api', instance: '10.0.0.1:8080' };

describe('matchesLabels has Prometheus semantics', () => {
  it.each<[string, Labels, boolean]>([
    ['heap{job="api"}', heapApi, true],
    ['heap{job="web"}', heapApi, false],
    ['cpu', heapApi, false],
    ['heap{job!="web"}', heapApi, true],
    ['heap{env=""}', heapApi, true],
    ['heap{env=""}', { ...heapApi, env: 'prod' }, false],
    ['heap{env!="prod"}', heapApi, true],
    ['heap{env!~"prod|dev"}', heapApi, true],
    ['heap{env=~"prod|"}', heapApi, true],
    ['heap{env!~".+"}', heapApi, true],
    ['heap{job!~".+"}', heapApi, false],
    ['heap{env=~"prod|dev"}', { ...heapApi, env: 'production' }, false],
    ['heap{env=~"prod|dev"}', { ...heapApi, env: 'dev' }, true],
    ['heap{instance=~"10\\\\..*"}', heapApi, true],
    ['heap{instance=~"10\\\\..*"}', { ...heapApi, instance: '1000:80' }, false],
    ['heap{instance=~"0\\\\.0"}', heapApi, false],
    ['heap{job=~"(?i)API"}', heapApi, true],
    ['heap{job=~"a.b"}', { ...heapApi, job: 'a\nb' }, true],
    ['heap{constructor="x"}', heapApi, false],
    ['heap{constructor=""}', heapApi, true],
  ])('%s against %j → %s', (selector, labels, expected) => {
    expect(matchesLabels(parseSelector(selector), labels)).toBe(expected);
  });

  it('compiles a regex once per matcher, whether parsing or matching', () => {
    const [, matcher] = parseSelector('heap{job=~"a.*"}');
    expect(matcherRegex(matcher)).toBe(matcherRegex(matcher));
  });
});

describe('compileLabelRegex', () => {
  it.each<[string, string, boolean]>([
    ['(?P<svc>api)-\\d+', 'api-12', true],
    ['(?i)api', 'API', true],
    ['(?is)a.b', 'A\nB', true],
    ['api\\-v\\_1', 'api-v_1', true],
    ['a|b', 'ab', false],
    ['[[a]]', '[a]', false],
    ['a.b', 'a\nb', true],
    ['a\\s+b', 'a \t\nb', true],
    ['a\\sb', 'a\vb', false],
    ['a\\Sb', 'a\u00a0b', true],
    ['[^\\s]+', 'a\u00a0', true],
    ['a{1', 'a{1', true],
    ['\\x41\\.', 'A.', true],
  ])('%s on %j → %s', (source, value, expected) => {
    expect(compileLabelRegex(source).test(value)).toBe(expected);
  });

  it.each<[string, string]>([
    ['(?m)^a$', 'flag (?m) is not supported'],
    ['a(?i)b', 'flags go at the very start'],
    ['\\Qa.b\\E', 'escape \\Q is not supported'],
    ['\\pL', 'escape \\p is not supported'],
    ['\\x{41}', 'escape \\x{…} is not supported'],
    ['(a)\\1', 'backreference \\1 is not supported'],
    ['[[:alpha:]]+', 'POSIX class [:alpha:] is not supported'],
    ['a**', 'Nothing to repeat'],
    ['a)|(b', "Unmatched ')'"],
    ['(?=a)a', 'lookaround'],
    ['(?<!a)b', 'lookaround'],
    ['(?i:a)', 'flags go at the very start'],
    ['\\0', 'backreference \\0 is not supported'],
    ['\\x4', 'escape \\x needs two hex digits'],
    ['\\é', 'escape \\é is not supported'],
    ['a\\', 'lone \\'],
    ['[]a]', 'write [\\]'],
    ['[^]a]', 'write [^\\]'],
    ['[\\b]', '\\b is not supported inside [...]'],
    ['[a\\W]', '\\W is not supported inside [...]: write it outside'],
    ['[[.a.]]', 'POSIX class [.a.] is not supported'],
    ['[[=a]', '"[=" inside [...] is not supported'],
    ['a{256}', 'repetition {256} is too large: the limit is 255'],
    ['a{1,300}', 'repetition {1,300} is too large'],
  ])('refuses %s', (source, message) => {
    expect(() => compileLabelRegex(source)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { isStorageInputError } from '../../lib/db/errors';
import { toPostgresRegex } from '../../lib/db/regex';
import { parseSelector } from '../../lib/selector';

const parses = (regex: string) => {
  try {
    parseSelector(`{job=~${JSON.stringify(regex)}}`);
    return true;
  } catch {
    return false;
  }
};

const translates = (regex: string) => {
  try {
    toPostgresRegex(regex, 'matcher 1');
    return true;
  } catch (err) {
    if (!isStorageInputError(err, 'invalid_matcher')) throw err;
    return false;
  }
};

// The storage layer must run every selector the parser accepts, and refuse the rest with its own error.
describe('selector parser and storage agree on which regexes are valid', () => {
  it.each<[string, boolean]>([
    ['api|db', true],
    ['(?i)api-(?P<n>\\d+)', true],
    ['(?s)a.b', true],
    ['(?<name>a)b', true],
    ['[^\\s,]+\\.svc\\b', true],
    ['[\\d\\w-]{2,255}', true],
    ['a{1', true],
    ['x{,3}\\{', true],
    ['[]]', false],
    ['\\x{41}', false],
    ['\\z', false],
    ['\\A', false],
    ['\\a', false],
    ['\\Qa.b\\E', false],
    ['\\pL', false],
    ['\\1', false],
    ['[[:alpha:]]', false],
    ['[[.a.]]', false],
    ['[\\W]', false],
    ['(?=a)', false],
    ['(?m)a', false],
    ['a(?i)b', false],
    ['a)|(b', false],
    ['a{256}', false],
    ['(', false],
  ])('%s → %s', (regex, valid) => {
    expect(parses(regex)).toBe(valid);
    expect(translates(regex)).toBe(valid);
  });
});

describe('toPostgresRegex', () => {
  it.each<[string, string]>([
    ['api|db', '^(?:api|db)$'],
    ['(?i)API', '(?i)^(?:API)$'],
    ['(?s)a.b', '^(?:a.b)$'],
    ['(?P<host>[^:]+):\\d+', '^(?:(?:[^:]+):[0-9]+)$'],
    ['\\bapi\\B', '^(?:\\yapi\\Y)$'],
    ['\\x41\\x7a1', '^(?:\\U00000041\\U0000007a1)$'],
    ['\\w\\W', '^(?:[0-9A-Za-z_][^0-9A-Za-z_])$'],
    ['[\\s,]\\S', '^(?:[\\t\\n\\f\\r ,][^\\t\\n\\f\\r ])$'],
    ['a{1,2}b{', '^(?:a{1,2}b\\{)$'],
    ['[{]', '^(?:[{])$'],
  ])('%s → %s', (regex, are) => {
    expect(toPostgresRegex(regex, 'matcher 1')).toBe(are);
  });

  it('names the matcher, the regex and the reason when it refuses', () => {
    expect(() => toPostgresRegex('[[:alpha:]]', 'matcher 2 (job=~"[[:alpha:]]")')).toThrow(
      'matcher 2 (job=~"[[:alpha:]]"): regex "[[:alpha:]]" is not a valid regular expression: POSIX class [:alpha:] is not supported; write the range, such as [a-zA-Z]',
    );
  });
});

import { parseLabelRegex } from '../selector/regex';
import type { LabelRegexSyntax, RegexToken } from '../selector/regex-syntax';
import { StorageInputError } from './errors';

/**
 * Translates a Prometheus (RE2) label-matcher regex into a fully anchored Postgres ARE with the same
 * meaning. What is accepted is exactly what the selector parser accepts (lib/selector/regex.ts), so a
 * selector that parses always translates. Written by hand because no package translates between the
 * two dialects; the differences, all handled here, are few:
 *
 * - `\b` `\B` (word boundaries) are `\y` `\Y` in ARE, where `\b` is backspace.
 * - `\xHH` becomes `\U000000HH`, since ARE's `\x` swallows every following hex digit.
 * - `\d` `\w` `\s` are spelled out as RE2's ASCII sets; ARE's follow the database locale.
 * - A `{` that starts no repetition is literal in RE2 but an error in ARE, so it is escaped.
 * - Named groups become non-capturing groups (only matching matters here).
 * - A leading `(?i)` is kept as the ARE option; `.` already matches newlines in ARE, as Prometheus'
 *   `(?s:…)` wrapping requires.
 */
export function toPostgresRegex(source: string, where: string): string {
  const { ignoreCase, tokens } = checkedSyntax(source, where);
  return `${ignoreCase ? '(?i)' : ''}^(?:${tokens.map(areText).join('')})$`;
}

function checkedSyntax(source: string, where: string): LabelRegexSyntax {
  try {
    return parseLabelRegex(source);
  } catch (err) {
    const why = (err as Error).message;
    throw new StorageInputError('invalid_matcher', `${where}: regex ${JSON.stringify(source)} is not a valid regular expression: ${why}`);
  }
}

const RE2_SETS: Readonly<Record<string, string>> = { d: '0-9', w: '0-9A-Za-z_', s: '\\t\\n\\f\\r ' };
const RENAMED_ESCAPES: Readonly<Record<string, string>> = { b: '\\y', B: '\\Y' };

function areText(token: RegexToken): string {
  switch (token.kind) {
    case 'named-group-start':
      return '(?:';
    case 'literal':
      return token.text === '{' && !token.inClass ? '\\{' : token.text;
    case 'escape':
      return escapeText(token.letter, token.text, token.inClass);
    default:
      return token.text;
  }
}

function escapeText(letter: string, text: string, inClass: boolean): string {
  if (letter === 'x') return `\\U000000${text.slice(2)}`;
  if (letter in RENAMED_ESCAPES) return RENAMED_ESCAPES[letter];
  const set = RE2_SETS[letter.toLowerCase()];
  if (!set) return text;
  // The tokenizer refuses \D \W \S inside a class, so a negated set is always a class of its own.
  if (inClass) return set;
  return letter === letter.toLowerCase() ? `[${set}]` : `[^${set}]`;
}

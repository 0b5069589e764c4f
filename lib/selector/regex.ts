/**
 * Prometheus label regexes (RE2 syntax) run with JavaScript's RegExp. Prometheus wraps every regex as
 * `^(?s:re)$`: fully anchored, `.` matching newlines. What is accepted is decided by regex-syntax.ts,
 * shared with the storage layer's Postgres translation; this module spells the accepted tokens in JS.
 *
 * The `u` flag is not used: it would refuse RE2's escaped punctuation such as `\-` and `\_`, common in
 * hand-written selectors. The cost is that `.` matches half of an astral character, harmless for labels.
 */
import { labelRegexSyntax, type LabelRegexSyntax, type RegexToken } from './regex-syntax';

// RE2's \s is these five; JS's also holds \v and Unicode spaces such as U+00A0.
const RE2_SPACE = '\\t\\n\\f\\r ';

/**
 * The checked syntax of `source`: refused constructs and anything JS cannot compile throw an Error
 * saying why. A regex that passes here compiles with compileLabelRegex and translates for Postgres.
 */
export function parseLabelRegex(source: string): LabelRegexSyntax {
  const syntax = labelRegexSyntax(source);
  try {
    // Compiled alone first: inside the anchoring wrapper, "a)|(b" would compile and escape the anchors.
    new RegExp(jsBody(syntax.tokens), 's');
  } catch (err) {
    throw new Error((err as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, ''));
  }
  return syntax;
}

/** Compiles `source` as an anchored Prometheus regex; throws an Error saying why it cannot. */
export function compileLabelRegex(source: string): RegExp {
  const { ignoreCase, tokens } = parseLabelRegex(source);
  return new RegExp(`^(?:${jsBody(tokens)})$`, ignoreCase ? 'si' : 's');
}

function jsBody(tokens: readonly RegexToken[]): string {
  return tokens.map(jsText).join('');
}

function jsText(token: RegexToken): string {
  if (token.kind === 'named-group-start') return token.text.replace('(?P<', '(?<');
  if (token.kind !== 'escape') return token.text;
  if (token.letter === 's') return token.inClass ? RE2_SPACE : `[${RE2_SPACE}]`;
  if (token.letter === 'S') return `[^${RE2_SPACE}]`;
  return token.text;
}

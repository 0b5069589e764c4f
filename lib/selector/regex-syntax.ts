/**
 * The RE2 syntax profd accepts in label regexes, split into tokens. Prometheus regexes are RE2; profd
 * runs them with JavaScript RegExp (selectors, relabeling) and as Postgres AREs (storage queries). This
 * scanner is the one place that decides what is accepted: a construct two of those engines would read
 * differently is refused here with a message saying what to write instead, so a regex accepted in one
 * place means the same everywhere. Hand-written because no package translates RE2 into either dialect.
 */

/** One piece of a regex body; `text` is its RE2 source, and the tokens' texts concatenate to the body. */
export type RegexToken =
  | { readonly kind: 'literal'; readonly text: string; readonly inClass: boolean }
  | { readonly kind: 'escape'; readonly letter: string; readonly text: string; readonly inClass: boolean }
  | { readonly kind: 'group-start' | 'named-group-start' | 'class-start' | 'class-end'; readonly text: string };

/** A label regex split into its leading flags and the tokens of its body. */
export interface LabelRegexSyntax {
  readonly ignoreCase: boolean;
  readonly tokens: readonly RegexToken[];
}

/** Postgres refuses bounds over 255 (RE2's own limit is 1000), so that is the limit everywhere. */
const MAX_REPEAT = 255;

const LEADING_FLAGS = /^\(\?([a-zA-Z]+)\)/;
// Letter escapes every engine reads alike, once \d \w \s are spelled out as RE2's ASCII classes.
const SHARED_LETTER_ESCAPES = new Set('dDwWsSbBtnvfrx');
const REPEAT = /\{(\d+)(?:,(\d*))?\}/y;
const NAMED_GROUP = /\(\?P?<\w+>/y;
const HEX_PAIR = /[0-9a-fA-F]{2}/y;
const POSIX_CLASS = /\[([:.=])\^?\w*\1\]/y;

/** The flags and tokens of `source`; throws an Error naming the first construct that is refused. */
export function labelRegexSyntax(source: string): LabelRegexSyntax {
  const leading = LEADING_FLAGS.exec(source);
  for (const flag of leading?.[1] ?? '') {
    // JS has no scoped flags, and `m` would turn the outer anchors into line anchors.
    if (flag !== 'i' && flag !== 's') throw new Error(`flag (?${flag}) is not supported, only a leading (?i) or (?s)`);
  }
  const body = leading ? source.slice(leading[0].length) : source;
  const tokens: RegexToken[] = [];
  let inClass = false;
  for (let i = 0; i < body.length; ) {
    const token: RegexToken = inClass ? classToken(body, i) : outerToken(body, i);
    if (token.kind === 'class-start' || token.kind === 'class-end') inClass = token.kind === 'class-start';
    tokens.push(token);
    i += token.text.length;
  }
  return { ignoreCase: leading?.[1].includes('i') ?? false, tokens };
}

function outerToken(body: string, i: number): RegexToken {
  const c = body[i];
  if (c === '\\') return escapeToken(body, i, false);
  if (c === '(') return groupToken(body, i);
  if (c === '[') {
    const text = body[i + 1] === '^' ? '[^' : '[';
    // RE2 reads []a] as a class holding "]" and "a"; JS reads [] as an empty class.
    if (body[i + text.length] === ']') throw new Error(`"${text}]" is read differently by RE2 and JavaScript: write ${text}\\]`);
    return { kind: 'class-start', text };
  }
  const repeat = c === '{' ? sticky(REPEAT, body, i) : null;
  if (repeat && Math.max(Number(repeat[1]), Number(repeat[2] || 0)) > MAX_REPEAT) {
    throw new Error(`repetition ${repeat[0]} is too large: the limit is ${MAX_REPEAT}`);
  }
  return { kind: 'literal', text: repeat ? repeat[0] : c, inClass: false };
}

function classToken(body: string, i: number): RegexToken {
  const c = body[i];
  if (c === '\\') return escapeToken(body, i, true);
  if (c === ']') return { kind: 'class-end', text: c };
  const found = c === '[' ? sticky(POSIX_CLASS, body, i) : null;
  if (found) throw new Error(`POSIX class ${found[0]} is not supported; write the range, such as [a-zA-Z]`);
  if (c === '[' && ':.='.includes(body[i + 1] ?? '')) throw new Error(`"[${body[i + 1]}" inside [...] is not supported: write \\[ for a literal [`);
  return { kind: 'literal', text: c, inClass: true };
}

function groupToken(body: string, i: number): RegexToken {
  if (body[i + 1] !== '?') return { kind: 'group-start', text: '(' };
  if (body.startsWith('(?:', i)) return { kind: 'group-start', text: '(?:' };
  const named = sticky(NAMED_GROUP, body, i);
  if (named) return { kind: 'named-group-start', text: named[0] };
  if (/^\(\?<?[=!]/.test(body.slice(i, i + 4))) throw new Error('lookaround such as (?=…) or (?!…) is not supported by RE2');
  throw new Error(`group ${body.slice(i, i + 4)}… is not supported: flags go at the very start, as (?i), and groups are (…), (?:…) or (?P<name>…)`);
}

function escapeToken(body: string, i: number, inClass: boolean): RegexToken {
  const letter = body[i + 1];
  if (letter === undefined) throw new Error('the regex ends in a lone \\: write \\\\ for a backslash');
  if (/[0-9]/.test(letter)) throw new Error(`backreference \\${letter} is not supported (nor are octal escapes: write \\xHH)`);
  if (letter === 'x') return { kind: 'escape', letter, text: `\\x${hexPair(body, i)}`, inClass };
  const isLetter = /[a-zA-Z]/.test(letter);
  if ((isLetter && !SHARED_LETTER_ESCAPES.has(letter)) || letter.charCodeAt(0) > 0x7f) {
    throw new Error(`escape \\${letter} is not supported`);
  }
  if (inClass && 'bB'.includes(letter)) throw new Error(`\\${letter} is not supported inside [...]`);
  // Postgres reads these by its locale (é is a word character there), and a complement cannot be
  // spelled out inside a class the way \d \w \s are, so no engine-neutral form exists.
  if (inClass && 'DWS'.includes(letter)) {
    throw new Error(`\\${letter} is not supported inside [...]: write it outside, such as (?:[ab]|\\${letter})`);
  }
  return { kind: 'escape', letter, text: `\\${letter}`, inClass };
}

function hexPair(body: string, i: number): string {
  if (body[i + 2] === '{') throw new Error('escape \\x{…} is not supported; write \\xHH');
  const hex = sticky(HEX_PAIR, body, i + 2);
  if (!hex) throw new Error('escape \\x needs two hex digits, such as \\x41');
  return hex[0];
}

function sticky(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

import { StorageInputError } from './errors';

/**
 * Translates a Prometheus (RE2) label-matcher regex into a fully anchored Postgres ARE with the same
 * meaning, refusing what RE2 would refuse or what ARE would read differently. Written by hand because
 * no package translates between the two dialects; the cases are few and each is listed here.
 *
 * - `\b` `\B` (word boundaries) are `\y` `\Y` in ARE, where `\b` is backspace; RE2's `\z` is ARE's `\Z`.
 * - `\xHH` becomes `\u00HH`, since ARE's `\x` swallows every following hex digit; `\x{H…}` becomes `\U`.
 * - Named groups become plain groups (only matching matters here).
 * - Leading `(?i)`/`(?s)` flags are kept as ARE options; `.` already matches newlines in both, as
 *   Prometheus' `(?s:…)` wrapping requires. Flags anywhere else have no ARE form and are refused.
 * - Back-references, lookaround, `\p{…}` classes, `\Q…\E` and `\C` are refused: RE2 lacks the first
 *   two and ARE the rest.
 */
export function toPostgresRegex(source: string, where: string): string {
  const refuse = (why: string) =>
    new StorageInputError('invalid_matcher', `${where}: regex ${JSON.stringify(source)} ${why}`);
  const flags = /^\(\?([is]+)\)/.exec(source);
  const body = flags ? source.slice(flags[0].length) : source;
  const translated = translateBody(body, refuse);
  checkSyntax(body, refuse);
  const options = flags?.[1].includes('i') ? '(?i)' : '';
  return `${options}^(?:${translated})$`;
}

type Refuse = (why: string) => StorageInputError;

// Letters RE2 accepts after a backslash with the same meaning in ARE.
const SAME_ESCAPES = new Set(['a', 'f', 't', 'n', 'r', 'v', 'd', 'D', 's', 'S', 'w', 'W']);
const RENAMED_ESCAPES: Record<string, string> = { b: '\\y', B: '\\Y', z: '\\Z', A: '\\A' };

function translateBody(body: string, refuse: Refuse): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      const [text, width] = translateEscape(body, i, inClass, refuse);
      out += text;
      i += width - 1;
    } else if (inClass) {
      const posixClass = /^\[:[a-z]+:\]/.exec(body.slice(i));
      if (posixClass) i += posixClass[0].length - 1;
      else if (c === ']') inClass = false;
      out += posixClass ? posixClass[0] : c;
    } else if (c === '[') {
      inClass = true;
      const start = /^\[\^?\]?/.exec(body.slice(i))![0];
      out += start;
      i += start.length - 1;
    } else if (c === '(' && body[i + 1] === '?') {
      const [text, width] = translateGroupStart(body.slice(i), refuse);
      out += text;
      i += width - 1;
    } else {
      out += c;
    }
  }
  return out;
}

/** Returns the ARE text for the escape at `body[i]` and how many characters of `body` it used. */
function translateEscape(body: string, i: number, inClass: boolean, refuse: Refuse): [string, number] {
  const c = body[i + 1] ?? '';
  if (c === 'x') {
    const hex = /^\\x(?:\{([0-9a-fA-F]{1,8})\}|([0-9a-fA-F]{2}))/.exec(body.slice(i));
    if (!hex) throw refuse('has a malformed \\x escape (use \\xHH or \\x{HHHH})');
    const code = hex[1] ?? hex[2];
    return [`\\U${code.padStart(8, '0')}`, hex[0].length];
  }
  if (/[0-9]/.test(c)) throw refuse(`uses \\${c}: back-references and octal escapes are not supported`);
  if (!/[a-zA-Z]/.test(c)) return [`\\${c}`, 2];
  if (SAME_ESCAPES.has(c)) return [`\\${c}`, 2];
  if (!inClass && c in RENAMED_ESCAPES) return [RENAMED_ESCAPES[c], 2];
  if (c === 'p' || c === 'P') throw refuse('uses a Unicode class (\\p); use a bracket expression such as [[:alpha:]] instead');
  throw refuse(`uses the escape \\${c}, which is not supported here`);
}

/** Translates the `(?…` at the start of `rest`: plain and named groups pass, everything else is refused. */
function translateGroupStart(rest: string, refuse: Refuse): [string, number] {
  if (rest.startsWith('(?:')) return ['(?:', 3];
  const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
  if (named) return ['(?:', named[0].length];
  if (/^\(\?<?[=!]/.test(rest)) throw refuse('uses lookaround ((?=, (?!), which Prometheus (RE2) does not support');
  throw refuse('sets flags inside the pattern; only a leading (?i) or (?s) is supported');
}

/** Catches unbalanced brackets and dangling quantifiers with the JS engine's message. */
function checkSyntax(body: string, refuse: Refuse): void {
  try {
    new RegExp(body.replace(/\(\?P</g, '(?<'));
  } catch (err) {
    const reason = (err as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '');
    throw refuse(`is not a valid regular expression: ${reason}`);
  }
}

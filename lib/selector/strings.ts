/**
 * PromQL string literals, unescaped as the Prometheus lexer does: `"…"` and `'…'` take Go escapes,
 * `` `…` `` is raw. The lezer grammar accepts any backslash pair and an unterminated string, so both are
 * checked here, where the position of the bad escape is known.
 */
import { SelectorError } from './errors';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

// `\x` and octal escapes are single bytes (as in Go), so "\xc3\xa9" is "é"; \u and \U are code points.
const NUMERIC_ESCAPES: Readonly<Record<string, { digits: number; base: number; max: number; isByte: boolean }>> = {
  x: { digits: 2, base: 16, max: 0xff, isByte: true },
  u: { digits: 4, base: 16, max: 0x10ffff, isByte: false },
  U: { digits: 8, base: 16, max: 0x10ffff, isByte: false },
};
const OCTAL = { digits: 3, base: 8, max: 0xff, isByte: true };

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The value of the string literal `literal` (quotes included) found at `offset` in the selector. */
export function unquoteString(literal: string, offset: number): string {
  const quote = literal[0];
  if (quote === '`') {
    if (literal.length < 2 || !literal.endsWith('`')) throw unterminated(quote, offset);
    return literal.slice(1, -1);
  }
  const bytes: number[] = [];
  let i = 1;
  while (i < literal.length) {
    const ch = literal[i];
    if (ch === quote) return decode(bytes, offset);
    if (ch === '\\') {
      i = readEscape(literal, i, offset, bytes);
    } else {
      const end = nextSpecial(literal, i, quote);
      bytes.push(...utf8.encode(literal.slice(i, end)));
      i = end;
    }
  }
  throw unterminated(quote, offset);
}

/** Reads the escape starting at the backslash `at`, appends its bytes, returns the index after it. */
function readEscape(literal: string, at: number, offset: number, bytes: number[]): number {
  const letter = literal[at + 1];
  if (letter === undefined) throw unterminated(literal[0], offset);
  const simple = letter === literal[0] ? letter : SIMPLE_ESCAPES[letter];
  if (simple !== undefined) {
    bytes.push(...utf8.encode(simple));
    return at + 2;
  }
  const isOctal = letter >= '0' && letter <= '7';
  const spec = isOctal ? OCTAL : NUMERIC_ESCAPES[letter];
  if (!spec) {
    throw new SelectorError(
      `unknown escape sequence "\\${letter}" at position ${offset + at}: write \\\\ for a backslash ` +
        '(a regex like 10\\.0 is "10\\\\.0" or `10\\.0`)',
      offset + at,
    );
  }
  const start = isOctal ? at + 1 : at + 2;
  const digits = literal.slice(start, start + spec.digits);
  const pattern = spec.base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/;
  const code = Number.parseInt(digits, spec.base);
  if (digits.length !== spec.digits || !pattern.test(digits)) {
    const form = isOctal ? 'three octal digits' : `${spec.digits} hex digits after \\${letter}`;
    throw new SelectorError(`escape sequence at position ${offset + at} needs ${form}`, offset + at);
  }
  if (code > spec.max || (code >= 0xd800 && code < 0xe000)) {
    throw new SelectorError(`escape sequence at position ${offset + at} is not a valid Unicode code point`, offset + at);
  }
  bytes.push(...(spec.isByte ? [code] : utf8.encode(String.fromCodePoint(code))));
  return start + spec.digits;
}

function nextSpecial(literal: string, from: number, quote: string): number {
  let i = from;
  while (i < literal.length && literal[i] !== '\\' && literal[i] !== quote) i++;
  return i;
}

function decode(bytes: number[], offset: number): string {
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    throw new SelectorError(`string at position ${offset} is not valid UTF-8 once its \\x and octal escapes are applied`, offset);
  }
}

function unterminated(quote: string, offset: number): SelectorError {
  return new SelectorError(`unterminated string at position ${offset}: close it with ${quote}`, offset);
}

/**
 * Prometheus label regexes (RE2 syntax) run with JavaScript's RegExp. Prometheus wraps every regex as
 * `^(?s:re)$`: fully anchored, `.` matching newlines. The RE2 spellings users copy from Grafana that JS
 * lacks are translated: `(?P<name>…)` groups and leading `(?i)` / `(?s)` flags. What JS would compile
 * to a different meaning (`\A`, `\z`, `\Q…\E`, `\pL`, `[[:alpha:]]` are literal text to JS without the
 * `u` flag) is refused, and so is anything JS cannot compile.
 *
 * The `u` flag is not used: it would refuse RE2's escaped punctuation such as `\-` and `\_`, common in
 * hand-written selectors. The cost is that `.` matches half of an astral character, harmless for labels.
 */

const LEADING_FLAGS = /^\(\?([a-zA-Z]+)\)/;
// Letter escapes JS and RE2 read alike; JS takes any other `\letter` as the bare letter.
const SHARED_LETTER_ESCAPES = new Set('dDwWsSbBtnvfrx');
const POSIX_CLASS = /\[:\^?[a-z]+:\]/;

/** Compiles `source` as an anchored Prometheus regex; throws an Error saying why it cannot. */
export function compileLabelRegex(source: string): RegExp {
  let body = source.replace(/\(\?P</g, '(?<');
  let flags = 's';
  const leading = LEADING_FLAGS.exec(body);
  if (leading) {
    for (const flag of leading[1]) {
      // JS has no scoped flags, and `m` would turn the outer anchors into line anchors.
      if (flag !== 'i' && flag !== 's') throw new Error(`flag (?${flag}) is not supported, only a leading (?i) or (?s)`);
      if (!flags.includes(flag)) flags += flag;
    }
    body = body.slice(leading[0].length);
  }
  const unsupported = unsupportedSyntax(body);
  if (unsupported) throw new Error(`${unsupported} (RE2 and JavaScript read it differently)`);
  try {
    // Compiled alone first: inside the wrapper, "a)|(b" would compile and escape the anchors.
    new RegExp(body, flags);
    return new RegExp(`^(?:${body})$`, flags);
  } catch (err) {
    const reason = (err as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '');
    throw new Error(`${reason} (profd runs Prometheus' RE2 regexes with JavaScript RegExp)`);
  }
}

/** The first construct of `body` that JS would silently read differently from RE2, if any. */
function unsupportedSyntax(body: string): string | undefined {
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') continue;
    const next = body[i + 1] ?? '';
    if (/[a-zA-Z]/.test(next) && !SHARED_LETTER_ESCAPES.has(next)) return `escape \\${next} is not supported`;
    if (next === 'x' && body[i + 2] === '{') return 'escape \\x{…} is not supported; write \\xHH';
    if (/[1-9]/.test(next)) return `backreference \\${next} is not supported`;
    i++;
  }
  const posix = POSIX_CLASS.exec(body);
  return posix ? `POSIX class ${posix[0]} is not supported; write the range, such as [a-zA-Z]` : undefined;
}

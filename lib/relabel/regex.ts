/**
 * Prometheus relabel regexes in JavaScript: RE2 syntax, always fully anchored, and Go's `$1` / `${name}`
 * template expansion. Compiled once per rule when the config loads.
 */

/** A compiled, anchored relabel regex that remembers the text the user wrote. */
export interface RelabelRegex {
  readonly source: string;
  readonly re: RegExp;
}

/**
 * Compiles `source` as Prometheus does (`^(?:source)$`). RE2's `(?P<name>…)` becomes JS's `(?<name>…)`
 * and leading `(?i)` / `(?s)` flags become RegExp flags; throws an Error naming the regex otherwise.
 */
export function compileRelabelRegex(source: string): RelabelRegex {
  let body = source.replace(/\(\?P</g, '(?<');
  let flags = '';
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(body);
  if (leading) {
    for (const flag of leading[1]) {
      // `m` would turn the outer anchors into line anchors in JS, unlike RE2 where the flag is scoped.
      if (flag !== 'i' && flag !== 's') throw new Error(`regex ${JSON.stringify(source)}: flag (?${flag}) is not supported (only (?i) and (?s))`);
      if (!flags.includes(flag)) flags += flag;
    }
    body = body.slice(leading[0].length);
  }
  try {
    return { source, re: new RegExp(`^(?:${body})$`, flags) };
  } catch (err) {
    throw new Error(`regex ${JSON.stringify(source)} does not compile: ${(err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`);
  }
}

/**
 * Expands a replacement template against a match the way Go's `Regexp.Expand` does: `$1`, `${1}`,
 * `$name`, `${name}` and `$$`. A `$name` takes the longest run of word characters, so `$1_x` means the
 * group called `1_x` (empty), the classic Prometheus surprise kept on purpose. Unknown groups are empty;
 * a `$` not followed by a name stays literal.
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) return out + template.slice(i);
    out += template.slice(i, dollar);
    if (template[dollar + 1] === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    const ref = /^\{(\w+)\}|^(\w+)/.exec(template.slice(dollar + 1));
    if (!ref) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    out += groupValue(match, ref[1] ?? ref[2]);
    i = dollar + 1 + ref[0].length;
  }
  return out;
}

function groupValue(match: RegExpExecArray, name: string): string {
  if (/^\d+$/.test(name)) return match[Number(name)] ?? '';
  return match.groups?.[name] ?? '';
}

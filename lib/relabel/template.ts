/** Go's `Regexp.Expand` template rules for relabel replacements and templated target labels. */

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

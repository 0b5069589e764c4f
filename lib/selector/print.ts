/**
 * Prints matchers as a canonical selector, `heap{job="api", env=~"prod|staging"}`, such that
 * `parseSelector(printSelector(m))` gives `m` back, order included.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { hasLabelNameSyntax, NAME_LABEL } from './labels';
import type { LabelMatcher } from './matcher';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** The selector text for `matchers`; the profile type goes before the braces when that round-trips. */
export function printSelector(matchers: readonly LabelMatcher[]): string {
  const [first, ...rest] = matchers;
  const bareName =
    first !== undefined &&
    first.name === NAME_LABEL &&
    first.type === '=' &&
    isBareMetricName(first.value) &&
    !rest.some((matcher) => matcher.name === NAME_LABEL);
  if (!bareName) return `{${matchers.map(printMatcher).join(', ')}}`;
  return rest.length === 0 ? first.value : `${first.value}{${rest.map(printMatcher).join(', ')}}`;
}

function printMatcher(matcher: LabelMatcher): string {
  const name = hasLabelNameSyntax(matcher.name) ? matcher.name : quote(matcher.name);
  return `${name}${matcher.type}${quote(matcher.value)}`;
}

// JSON's string escapes (\" \\ \n \t \uXXXX …) are all valid PromQL escapes with the same meaning.
function quote(value: string): string {
  return JSON.stringify(value);
}

/**
 * True when `name` reads back as a metric name. Words such as `offset`, `bool` and `inf` are PromQL
 * keywords or numbers, so the grammar itself is asked rather than a keyword list that could drift.
 */
function isBareMetricName(name: string): boolean {
  if (!METRIC_NAME.test(name)) return false;
  const selector = parser.parse(name).topNode.firstChild;
  const identifier = selector?.name === 'VectorSelector' ? selector.firstChild : null;
  return identifier?.name === 'Identifier' && identifier.to === name.length && !selector?.nextSibling;
}

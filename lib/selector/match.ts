/**
 * Label matching with Prometheus semantics: a missing label has the empty value, so `job=""` and
 * `job!="api"` match a series without `job`; regexes are fully anchored.
 */
import type { LabelMatcher, Labels } from './matcher';
import { compileLabelRegex } from './regex';

// Keyed by matcher object: a selector parsed once and matched against many series compiles each regex once.
const compiled = new WeakMap<LabelMatcher, RegExp>();

/** The compiled regex of a `=~` / `!~` matcher; throws an Error saying why the regex is invalid. */
export function matcherRegex(matcher: LabelMatcher): RegExp {
  let regex = compiled.get(matcher);
  if (!regex) {
    regex = compileLabelRegex(matcher.value);
    compiled.set(matcher, regex);
  }
  return regex;
}

/** True when a label value (undefined or '' when the label is missing) satisfies `matcher`. */
export function matchesValue(matcher: LabelMatcher, value: string | undefined): boolean {
  const actual = value ?? '';
  switch (matcher.type) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return matcherRegex(matcher).test(actual);
    case '!~':
      return !matcherRegex(matcher).test(actual);
  }
}

/** True when the label set satisfies every matcher, as Prometheus selects a series. */
export function matchesLabels(matchers: readonly LabelMatcher[], labels: Labels): boolean {
  return matchers.every((matcher) => matchesValue(matcher, Object.hasOwn(labels, matcher.name) ? labels[matcher.name] : undefined));
}

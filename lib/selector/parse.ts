/**
 * Parses a PromQL vector selector (`heap{job="api"}`, `{__name__="heap"}`) into label matchers with the
 * Prometheus grammar from `@prometheus-io/lezer-promql`, the one the selector editor highlights with.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { syntaxError, unsupportedExpression, type SyntaxNode } from './diagnose';
import { SelectorError } from './errors';
import { hasLabelNameSyntax, labelTextProblem, NAME_LABEL } from './labels';
import { matcherRegex, matchesValue } from './match';
import type { LabelMatcher, MatchType } from './matcher';
import { unquoteString } from './strings';

interface Located {
  readonly matcher: LabelMatcher;
  readonly position: number;
  /** Set by a bare name (`heap{…}` or `{"heap"}`) rather than a `__name__` matcher. */
  readonly bare: boolean;
}

/**
 * The matchers of `text`, the profile type first when written before the braces. Throws a SelectorError
 * with the position of the first problem: bad syntax, a PromQL construct other than a selector, a bad
 * string or regex, or a selector whose every matcher matches the empty value (it would select everything).
 */
export function parseSelector(text: string): LabelMatcher[] {
  if (text.trim() === '') {
    throw new SelectorError('selector is empty: write a profile type such as heap, matchers such as {job="api"}, or both', 0);
  }
  const tree = parser.parse(text);
  const selector = topLevelSelector(tree.topNode, text);
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) throw syntaxError(ref.node, text);
      if (ref.name === 'StringLiteral') unquoteString(text.slice(ref.from, ref.to), ref.from);
    },
  });
  const located = readSelector(selector, text);
  checkNameSetOnce(located);
  const matchers = located.map((entry) => entry.matcher);
  if (matchers.every((matcher) => matchesValue(matcher, ''))) {
    throw new SelectorError(
      'selector would match every series: give a profile type (heap{…}) or a matcher that does not match ' +
        'the empty value, such as job="api" (job=~".*" and job!="x" also match series without job)',
      0,
    );
  }
  return matchers;
}

/** The VectorSelector at the top of the tree; throws for anything before it that is not a comment. */
function topLevelSelector(top: SyntaxNode, text: string): SyntaxNode {
  for (let child = top.firstChild; child; child = child.nextSibling) {
    if (child.type.isError) throw syntaxError(child, text);
    if (child.name === 'VectorSelector') return child;
    if (child.name !== 'LineComment') throw unsupportedExpression(child, text);
  }
  throw new SelectorError(`expected a selector such as heap{job="api"} at position ${text.length}, found end of input`, text.length);
}

function readSelector(selector: SyntaxNode, text: string): Located[] {
  const located: Located[] = [];
  for (let child = selector.firstChild; child; child = child.nextSibling) {
    if (child.name === 'Identifier') located.push(nameMatcher(text.slice(child.from, child.to), child.from));
    if (child.name !== 'LabelMatchers') continue;
    for (let item = child.firstChild; item; item = item.nextSibling) {
      if (item.name === 'QuotedLabelName') located.push(nameMatcher(stringValue(item.firstChild!, text), item.from));
      if (item.name === 'UnquotedLabelMatcher' || item.name === 'QuotedLabelMatcher') located.push(readMatcher(item, text));
    }
  }
  return located;
}

// Called once the tree has no error nodes, so every matcher has its name, operator and value children.
function readMatcher(node: SyntaxNode, text: string): Located {
  const nameNode = node.firstChild!;
  const name =
    nameNode.name === 'LabelName' ? text.slice(nameNode.from, nameNode.to) : stringValue(nameNode.firstChild!, text);
  if (!hasLabelNameSyntax(name)) {
    const rule = 'use letters, digits and _, and do not start with a digit';
    throw new SelectorError(`label name ${JSON.stringify(name)} at position ${nameNode.from} is not valid: ${rule}`, nameNode.from);
  }
  const op = node.getChild('MatchOp')!;
  const valueNode = node.getChild('StringLiteral')!;
  const matcher = { name, type: text.slice(op.from, op.to) as MatchType, value: stringValue(valueNode, text) };
  const where = `at position ${valueNode.from} (label ${JSON.stringify(name)})`;
  const problem = labelTextProblem(matcher.value);
  if (problem) throw new SelectorError(`value ${where} ${problem}`, valueNode.from);
  if (matcher.type === '=~' || matcher.type === '!~') {
    try {
      matcherRegex(matcher);
    } catch (err) {
      throw new SelectorError(`invalid regex ${where}: ${(err as Error).message}`, valueNode.from);
    }
  }
  return { matcher, position: nameNode.from, bare: false };
}

function nameMatcher(value: string, position: number): Located {
  return { matcher: { name: NAME_LABEL, type: '=', value }, position, bare: true };
}

function stringValue(node: SyntaxNode, text: string): string {
  return unquoteString(text.slice(node.from, node.to), node.from);
}

/** Prometheus refuses `heap{__name__="x"}`: a bare profile type is the only `__name__` matcher allowed. */
function checkNameSetOnce(located: readonly Located[]): void {
  const naming = located.filter((entry) => entry.matcher.name === NAME_LABEL);
  if (naming.length < 2 || !naming.some((entry) => entry.bare)) return;
  const [first, second] = naming;
  throw new SelectorError(
    `profile type set twice: ${JSON.stringify(first.matcher.value)} and again at position ${second.position}`,
    second.position,
  );
}

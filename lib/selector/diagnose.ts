/**
 * Turns what lezer found into messages a person can act on. lezer-promql recovers from errors and marks
 * them with error nodes but does not say what it expected, so the expectation is worked out from where
 * the error node sits: inside a matcher after the label name an operator was due, after the operator a
 * string, between matchers a "," or "}". Whole PromQL constructs that parse fine but are not selectors
 * (functions, ranges, operators) get a message naming the construct.
 */
import type { parser } from '@prometheus-io/lezer-promql';
import { SelectorError } from './errors';

/** A node of the lezer-promql syntax tree. */
export type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

const EXAMPLE = 'a selector is a profile type and/or label matchers, such as heap{job="api"}';
const OPERATORS = '"=", "!=", "=~" or "!~"';
const OPERATOR_CHARS = /[=!~<>]+/y;
const TOKEN = /[a-zA-Z_:][\w:]*|\d[\w.]*|\S/y;

/** The SelectorError for the lezer error node `node` in `text`. */
export function syntaxError(node: SyntaxNode, text: string): SelectorError {
  const at = skipSpaces(text, node.from);
  const before = previousSibling(node);
  const braces = enclosingBraces(node);
  const inMatcher = node.parent?.name === 'UnquotedLabelMatcher' || node.parent?.name === 'QuotedLabelMatcher';
  if (inMatcher && match(OPERATOR_CHARS, text, at)) {
    const from = before?.name === 'MatchOp' ? before.from : at;
    return new SelectorError(`unknown matcher operator "${match(OPERATOR_CHARS, text, from)}" at position ${from}: use ${OPERATORS}`, from);
  }
  if (text[at] === '}' && !braces) return new SelectorError(`unbalanced braces: "}" at position ${at} has no matching "{"`, at);
  let message = `expected ${expectation(node, before, text)} at position ${at}, found ${describeToken(text, at)}`;
  if (at >= text.length && braces) message += `; the "{" at position ${braces.from} is never closed`;
  return new SelectorError(message, at);
}

/** The SelectorError for a parsed PromQL expression `node` that is not a plain vector selector. */
export function unsupportedExpression(node: SyntaxNode, text: string): SelectorError {
  const second = node.firstChild?.nextSibling;
  const bracket = text.indexOf('[', node.firstChild?.to ?? node.from);
  const cases: Record<string, [string, number]> = {
    MatrixSelector: ['range selectors such as [5m] are', bracket],
    SubqueryExpr: ['subqueries are', bracket],
    FunctionCall: [`functions such as ${text.slice(node.from, node.firstChild?.to)}() are`, node.from],
    AggregateExpr: [`aggregations such as ${text.slice(node.from, node.firstChild?.to)} are`, node.from],
    BinaryExpr: [`operators such as "${text.slice(second?.from, second?.to)}" are`, second?.from ?? node.from],
    OffsetExpr: ['offset modifiers are', second?.from ?? node.from],
    StepInvariantExpr: ['@ modifiers are', second?.from ?? node.from],
    ParenExpr: ['parentheses are', node.from],
    UnaryExpr: ['signs are', node.from],
    StringLiteral: ['bare strings are', node.from],
    NumberDurationLiteral: ['numbers are', node.from],
  };
  const [what, position] = cases[node.name] ?? [`${node.name} expressions are`, node.from];
  return new SelectorError(`${what} not supported at position ${position}: ${EXAMPLE}`, position);
}

function expectation(node: SyntaxNode, before: SyntaxNode | null, text: string): string {
  switch (node.parent?.name) {
    case 'UnquotedLabelMatcher':
    case 'QuotedLabelMatcher': {
      const label = text.slice(node.parent.from, node.parent.firstChild?.to);
      if (before?.name === 'MatchOp') return `a quoted value such as "api" after ${label}${text.slice(before.from, before.to)}`;
      return `${OPERATORS} after label name ${label.startsWith('"') ? label : `"${label}"`}`;
    }
    case 'LabelMatchers':
      if (before && !text.slice(before.to, node.from).includes(',')) return '"," or "}"';
      return before ? 'a label name or "}" after ","' : 'a label name or "}"';
    default:
      return before ? 'the end of the selector' : 'a selector such as heap{job="api"}';
  }
}

function enclosingBraces(node: SyntaxNode): SyntaxNode | null {
  let ancestor = node.parent;
  while (ancestor && ancestor.name !== 'LabelMatchers') ancestor = ancestor.parent;
  return ancestor;
}

function previousSibling(node: SyntaxNode): SyntaxNode | null {
  let sibling = node.prevSibling;
  while (sibling && (sibling.type.isError || sibling.name === 'LineComment')) sibling = sibling.prevSibling;
  return sibling;
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

function match(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

function describeToken(text: string, at: number): string {
  if (at >= text.length) return 'end of input';
  return JSON.stringify(match(TOKEN, text, at));
}

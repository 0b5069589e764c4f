/**
 * What the selector editor can complete at a cursor: a profile type, a label name or a label value,
 * with the selector to scope the lookup by and the text an accepted value replaces.
 *
 * Read with a small lexer rather than the lezer tree: completion happens on text that is incomplete by
 * nature, and lezer's error recovery reshapes the tree with it (an unterminated `` `…` `` string becomes
 * error nodes and identifiers, a missing comma regroups the matchers), while what matters here is only
 * which token the cursor is in and what came before it in its matcher. The complete matchers that make
 * up the scope are still checked by parseSelector, the parser every query goes through.
 */
import { hasLabelNameSyntax, NAME_LABEL } from './labels';
import { matcherRegex } from './match';
import type { LabelMatcher, MatchType } from './matcher';
import { parseSelector } from './parse';
import { printSelector } from './print';
import { unquoteString } from './strings';

/** The quote a label value is being written in; null before any quote. */
export type ValueQuote = '"' | "'" | '`' | null;

interface Replaced {
  /** The text between `from` and the cursor: what the choices are filtered by. */
  readonly prefix: string;
  /** Where the completed text starts. */
  readonly from: number;
  /** Where it ends: the whole word or string content under the cursor is replaced, not only its prefix. */
  readonly to: number;
}

/** A profile type (`__name__`) before the braces. `scope`: the complete matchers in the braces. */
export interface MetricCompletion extends Replaced {
  readonly kind: 'metric';
  readonly scope: string;
}

/** A label name inside the braces; `used` are the names the selector already has. */
export interface LabelNameCompletion extends Replaced {
  readonly kind: 'labelName';
  readonly used: string[];
  readonly scope: string;
}

/**
 * A value of `label` after its operator. `quoted`: the cursor is inside an open string, so `from` is just
 * after the quote and `prefix` is the string's text as written (escapes included); `closed` says whether
 * the string's closing quote is already there, after `to`.
 */
export interface LabelValueCompletion extends Replaced {
  readonly kind: 'labelValue';
  readonly label: string;
  readonly quoted: boolean;
  readonly quote: ValueQuote;
  readonly closed: boolean;
  readonly scope: string;
}

export type SelectorCompletion = MetricCompletion | LabelNameCompletion | LabelValueCompletion;

/** The completion at `cursor` in the selector `text`, or null where nothing can be completed. */
export function completionContext(text: string, cursor: number): SelectorCompletion | null {
  const { steps, items, metric } = readSelector(lex(text));
  const here = locate(steps, cursor);
  const slice = (from: number, to: number) => ({ prefix: text.slice(from, cursor), from, to });
  if (here.token !== null && here.token.kind !== 'word' && here.state !== 'value') return null;
  if (here.state === 'start') {
    const word = here.token;
    return { kind: 'metric', ...slice(word?.from ?? cursor, word?.to ?? cursor), scope: scopeOf(null, items, null) };
  }
  if (here.state === 'label') {
    const current = here.token === null ? null : here.item;
    const used = new Set(items.filter((item) => item !== current).flatMap((item) => usedName(item) ?? []));
    if (metric !== null) used.add(NAME_LABEL);
    const word = here.token;
    return { kind: 'labelName', ...slice(word?.from ?? cursor, word?.to ?? cursor), used: [...used], scope: scopeOf(metric, items, current) };
  }
  if (here.state !== 'value' || here.item === null) return null;
  const label = nameOf(here.item);
  if (label === null) return null;
  const value = { kind: 'labelValue', label, scope: scopeOf(metric, items, here.item) } as const;
  const token = here.token;
  if (token === null) return { ...value, ...slice(cursor, cursor), quoted: false, quote: null, closed: false };
  if (token.kind === 'word' || token.from === cursor) {
    return { ...value, ...slice(token.from, token.to), quoted: false, quote: null, closed: false };
  }
  if (token.kind !== 'string') return null;
  const quote = text[token.from] as ValueQuote;
  const closed = token.closed && !LOST_QUOTE.test(text.slice(cursor, token.to - 1));
  return { ...value, ...slice(token.from + 1, closed ? token.to - 1 : cursor), quoted: true, quote, closed };
}

/**
 * The rest of a string that ran on into the next matcher because its own closing quote is missing
 * (`job="ap|, env="x"}`); the value then ends at the cursor and gets its quote back.
 */
const LOST_QUOTE = /,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)$/;

/** `value` as a PromQL string literal in `quote`: `"a\"b"`, `'it\'s'`. */
export function quoteLabelValue(value: string, quote: '"' | "'" = '"'): string {
  return quote + escapeInQuotes(value, quote) + quote;
}

/**
 * How `value` reads in the document at `context.from`, the text the editor matches what was typed
 * against: the escaped content inside an open string, the value itself elsewhere.
 */
export function completionLabel(context: SelectorCompletion, value: string): string {
  if (context.kind !== 'labelValue' || context.quote === null) return value;
  if (context.quote === '`') return value;
  return escapeInQuotes(value, context.quote);
}

/** A change to the selector text: replace `from`–`to` by `insert`, then put the cursor at `cursor`. */
export interface CompletionEdit {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
  readonly cursor: number;
}

/** The change that accepting `value` at `context` makes to `text`, leaving the cursor after what it wrote. */
export function completionEdit(text: string, context: SelectorCompletion, value: string): CompletionEdit {
  const edit = (from: number, to: number, insert: string) => ({ from, to, insert, cursor: from + insert.length });
  if (context.kind === 'labelName') return edit(context.from, context.to, value);
  if (context.kind === 'metric') return metricEdit(text, context, value);
  if (context.quote === null) return edit(context.from, context.to, quoteLabelValue(value));
  const close = context.closed ? 1 : 0;
  if (context.quote === '`') {
    // A raw string cannot hold a backquote, so such a value is rewritten as a double-quoted string.
    if (value.includes('`')) return edit(context.from - 1, context.to + close, quoteLabelValue(value));
    return edit(context.from, context.to + close, value + '`');
  }
  return edit(context.from, context.to + close, escapeInQuotes(value, context.quote) + context.quote);
}

/**
 * A profile type that does not read back as a bare name (`go.heap`, or a keyword such as `offset`) is
 * written as a `__name__` matcher in the braces instead, opening them if there are none.
 */
function metricEdit(text: string, context: MetricCompletion, value: string): CompletionEdit {
  const matcher: LabelMatcher = { name: NAME_LABEL, type: '=', value };
  const printed = printSelector([matcher]);
  if (printed === value) return { from: context.from, to: context.to, insert: value, cursor: context.from + value.length };
  const rest = text.slice(context.to);
  const brace = /^\s*\{/.exec(rest);
  if (brace === null) {
    const insert = printed;
    return { from: context.from, to: context.to, insert, cursor: context.from + insert.length };
  }
  const afterBrace = context.to + brace[0].length;
  const empty = /^\s*\}/.test(text.slice(afterBrace));
  const insert = printed.slice(0, -1) + (empty ? '' : ', ');
  return { from: context.from, to: afterBrace, insert, cursor: context.from + insert.length };
}

function escapeInQuotes(value: string, quote: '"' | "'"): string {
  return value.replace(/[\\"'\n\r\t]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return ch === '\\' || ch === quote ? `\\${ch}` : ch;
  });
}

// ---- lexing -------------------------------------------------------------------------------------------

type TokenKind = 'word' | 'string' | 'op' | 'open' | 'close' | 'comma' | 'comment' | 'other';

interface Token {
  readonly kind: TokenKind;
  readonly from: number;
  readonly to: number;
  readonly text: string;
  /** For strings: whether the closing quote is there. */
  readonly closed: boolean;
}

const WORD = /[a-zA-Z0-9_:]/;
const OPS = ['=~', '!~', '!=', '='];
const PUNCTUATION: Readonly<Record<string, TokenKind>> = { '{': 'open', '}': 'close', ',': 'comma' };

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, to: number, closed = true) => {
    tokens.push({ kind, from: i, to, text: text.slice(i, to), closed });
    i = to;
  };
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) i++;
    else if (ch === '#') push('comment', text.length);
    else if (WORD.test(ch)) push('word', wordEnd(text, i));
    else if (ch === '"' || ch === "'" || ch === '`') {
      const end = stringEnd(text, i);
      push('string', end.to, end.closed);
    } else {
      const op = OPS.find((candidate) => text.startsWith(candidate, i));
      if (op !== undefined) push('op', i + op.length);
      else push(PUNCTUATION[ch] ?? 'other', i + 1);
    }
  }
  return tokens;
}

function wordEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && WORD.test(text[i])) i++;
  return i;
}

function stringEnd(text: string, from: number): { to: number; closed: boolean } {
  const quote = text[from];
  let i = from + 1;
  while (i < text.length) {
    if (text[i] === quote) return { to: i + 1, closed: true };
    i += text[i] === '\\' && quote !== '`' ? 2 : 1;
  }
  return { to: text.length, closed: false };
}

// ---- reading the selector -----------------------------------------------------------------------------

/** Where the reader is: before the profile type, after it, expecting a label name, an operator, a value,
 * a comma, after the closing brace, or lost in text that is no selector. */
type State = 'start' | 'afterName' | 'label' | 'op' | 'value' | 'separator' | 'done';

interface Item {
  name: Token | null;
  op: Token | null;
  value: Token | null;
}

interface Step {
  readonly token: Token;
  readonly state: State;
  readonly after: State;
  readonly itemAfter: Item | null;
}

interface ReadSelector {
  readonly steps: Step[];
  readonly items: Item[];
  readonly metric: Token | null;
}

function readSelector(tokens: readonly Token[]): ReadSelector {
  const steps: Step[] = [];
  const items: Item[] = [];
  let metric: Token | null = null;
  let state: State = 'start';
  // The matcher being read; set whenever the state is 'op', 'value' or 'separator'.
  let item: Item | null = null;

  const startItem = (name: Token | null, next: State): State => {
    item = { name, op: null, value: null };
    items.push(item);
    return next;
  };
  const advance = (token: Token): State => {
    if (token.kind === 'comment') return state;
    if (token.kind === 'comma' && state !== 'start' && state !== 'afterName' && state !== 'done') return 'label';
    const isName = token.kind === 'word' || token.kind === 'string';
    switch (state) {
      case 'start':
        if (token.kind === 'word') {
          metric = token;
          return 'afterName';
        }
        return token.kind === 'open' ? 'label' : 'done';
      case 'afterName':
        return token.kind === 'open' ? 'label' : 'done';
      case 'label':
      case 'separator':
        if (isName) return startItem(token, 'op');
        return token.kind === 'op' ? startItem(null, 'value') : 'done';
      case 'op':
        if (token.kind === 'op') {
          item!.op = token;
          return 'value';
        }
        return isName ? startItem(token, 'op') : 'done';
      case 'value':
        if (isName) {
          item!.value = token;
          return 'separator';
        }
        return token.kind === 'op' ? 'value' : 'done';
      default:
        return 'done';
    }
  };

  for (const token of tokens) {
    const before = state;
    state = advance(token);
    steps.push({ token, state: before, after: state, itemAfter: item });
  }
  return { steps, items, metric };
}

interface Location {
  /** The reader's state at the cursor. */
  readonly state: State;
  /** The matcher of the token at the cursor, or the last one before a gap. */
  readonly item: Item | null;
  /** The word or string the cursor is in, touches, or stands just before. */
  readonly token: Token | null;
}

function locate(steps: readonly Step[], cursor: number): Location {
  let state: State = 'start';
  let item: Item | null = null;
  for (const { token, state: before, after, itemAfter } of steps) {
    if (token.from > cursor) break;
    const inWord = token.kind === 'word' && cursor <= token.to;
    const inString = token.kind === 'string' && (cursor < token.to || (!token.closed && cursor === token.to));
    if (inWord || inString) return { state: before, item: itemAfter, token };
    if (token.from === cursor) break;
    if (token.to > cursor || token.kind === 'comment') return { state: 'done', item: null, token: null };
    state = after;
    item = itemAfter;
  }
  return { state, item, token: null };
}

// ---- scope --------------------------------------------------------------------------------------------

/** The label name of a matcher, or null where it has none or its quoted name is broken. */
function nameOf(item: Item): string | null {
  if (item.name === null) return null;
  if (item.name.kind === 'word') return item.name.text;
  return unquoted(item.name);
}

/** The label a matcher constrains, a bare `{"heap"}` constraining the profile type. */
function usedName(item: Item): string | null {
  if (item.name?.kind === 'string' && item.op === null && item.value === null) return NAME_LABEL;
  return nameOf(item);
}

function unquoted(token: Token): string | null {
  if (!token.closed) return null;
  try {
    return unquoteString(token.text, token.from);
  } catch {
    return null;
  }
}

/**
 * The selector of the profile type and the complete, valid matchers other than `current`, printed
 * canonically; '' when there are none or when they would select every series (which the API refuses).
 */
function scopeOf(metric: Token | null, items: readonly Item[], current: Item | null): string {
  const matchers: LabelMatcher[] = [];
  if (metric !== null) matchers.push({ name: NAME_LABEL, type: '=', value: metric.text });
  for (const item of items) {
    if (item === current) continue;
    const matcher = completeMatcher(item);
    if (matcher !== null) matchers.push(matcher);
  }
  if (matchers.length === 0) return '';
  const scope = printSelector(matchers);
  try {
    parseSelector(scope);
    return scope;
  } catch {
    return '';
  }
}

function completeMatcher(item: Item): LabelMatcher | null {
  const name = nameOf(item);
  if (name === null) return null;
  // `{"heap"}` names the profile type, as `heap` before the braces does.
  if (item.op === null && item.value === null) return item.name!.kind === 'string' ? { name: NAME_LABEL, type: '=', value: name } : null;
  if (!hasLabelNameSyntax(name) || item.op === null || item.value === null || item.value.kind !== 'string') return null;
  const value = unquoted(item.value);
  if (value === null) return null;
  const matcher = { name, type: item.op.text as MatchType, value };
  try {
    matcherRegex(matcher);
  } catch {
    return null;
  }
  return matcher;
}

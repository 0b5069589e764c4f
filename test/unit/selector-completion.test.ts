import { describe, expect, it } from 'vitest';
import {
  completionContext,
  completionEdit,
  completionLabel,
  quoteLabelValue,
  type SelectorCompletion,
} from '../../lib/selector/completion';

/** The context at the `|` in `marked`, which is not part of the text. */
function at(marked: string): SelectorCompletion | null {
  const cursor = marked.indexOf('|');
  return completionContext(marked.slice(0, cursor) + marked.slice(cursor + 1), cursor);
}

/** The text and cursor (as `|`) after accepting `value` at the `|` in `marked`. */
function accept(marked: string, value: string): string {
  const cursor = marked.indexOf('|');
  const text = marked.slice(0, cursor) + marked.slice(cursor + 1);
  const context = completionContext(text, cursor);
  if (context === null) throw new Error(`nothing to complete in ${marked}`);
  const edit = completionEdit(text, context, value);
  const after = text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
  return after.slice(0, edit.cursor) + '|' + after.slice(edit.cursor);
}

describe('completionContext: profile types', () => {
  it.each<[string, string, number, number, string]>([
    ['|', '', 0, 0, ''],
    ['  |', '', 2, 2, ''],
    ['he|', 'he', 0, 2, ''],
    ['he|ap', 'he', 0, 4, ''],
    ['|heap', '', 0, 4, ''],
    ['hea|p{job="api"}', 'hea', 0, 4, '{job="api"}'],
    ['|{job="api", env=~"prod|dev"}', '', 0, 0, '{job="api", env=~"prod|dev"}'],
    ['proc|{job=', 'proc', 0, 4, ''],
  ])('%s → prefix %j, replacing %i–%i, scope %j', (marked, prefix, from, to, scope) => {
    expect(at(marked)).toEqual({ kind: 'metric', prefix, from, to, scope });
  });
});

describe('completionContext: label names', () => {
  it.each<[string, string, number, number, string[], string]>([
    ['heap{|', '', 5, 5, ['__name__'], 'heap'],
    ['heap{|}', '', 5, 5, ['__name__'], 'heap'],
    ['heap{ |', '', 6, 6, ['__name__'], 'heap'],
    ['heap{jo|', 'jo', 5, 7, ['__name__'], 'heap'],
    // The matcher being edited is neither used nor part of the scope.
    ['heap{jo|b="x"}', 'jo', 5, 8, ['__name__'], 'heap'],
    ['heap{job="api", |', '', 16, 16, ['__name__', 'job'], 'heap{job="api"}'],
    ['heap{job="api",|}', '', 15, 15, ['__name__', 'job'], 'heap{job="api"}'],
    ['heap{job="api", in|', 'in', 16, 18, ['__name__', 'job'], 'heap{job="api"}'],
    ['{|, job="a"}', '', 1, 1, ['job'], '{job="a"}'],
    ['{|}', '', 1, 1, [], ''],
    ['{job="a", env=, |', '', 16, 16, ['env', 'job'], '{job="a"}'],
    // A selector every series matches is refused by the API, so it is no scope.
    ['{job=~".*", |', '', 12, 12, ['job'], ''],
    ['{job!="x", |', '', 11, 11, ['job'], ''],
    // `{"heap"}` names the profile type.
    ['{"heap", |', '', 9, 9, ['__name__'], 'heap'],
    ['{"my label"="x", |', '', 17, 17, ['my label'], ''],
    // Matchers that would not parse are left out of the scope rather than failing the lookup.
    ['heap{job="\\q", |', '', 15, 15, ['__name__', 'job'], 'heap'],
    ['heap{job=~"(", |', '', 15, 15, ['__name__', 'job'], 'heap'],
    ['heap{a="1",|b="2"}', '', 11, 12, ['__name__', 'a'], 'heap{a="1"}'],
  ])('%s → prefix %j, replacing %i–%i, used %j, scope %j', (marked, prefix, from, to, used, scope) => {
    const context = at(marked);
    expect(context).toMatchObject({ kind: 'labelName', prefix, from, to, scope });
    expect(context?.kind === 'labelName' && [...context.used].sort()).toEqual(used);
  });
});

describe('completionContext: label values', () => {
  it.each<[string, object]>([
    ['heap{job=|', { label: 'job', prefix: '', from: 9, to: 9, quoted: false, quote: null, scope: 'heap' }],
    ['heap{job!=|', { label: 'job', from: 10, to: 10, quoted: false }],
    ['heap{job=~|', { label: 'job', from: 10, quoted: false }],
    ['heap{job!~ |', { label: 'job', from: 11, quoted: false }],
    ['heap{job="a", env!~|', { label: 'env', from: 19, quoted: false, scope: 'heap{job="a"}' }],
    ['heap{job=a|', { label: 'job', prefix: 'a', from: 9, to: 10, quoted: false }],
    // The cursor before a whole string: the string is replaced.
    ['heap{job=|"api"}', { label: 'job', prefix: '', from: 9, to: 14, quoted: false, quote: null }],
    ['heap{job="|', { label: 'job', prefix: '', from: 10, to: 10, quoted: true, quote: '"', closed: false }],
    ['heap{job="|"}', { prefix: '', from: 10, to: 10, quoted: true, closed: true }],
    ['heap{job="ap|i"}', { prefix: 'ap', from: 10, to: 13, quoted: true, closed: true }],
    ['heap{job="ap|', { prefix: 'ap', from: 10, to: 12, closed: false }],
    ['heap{job="a\\"b|', { prefix: 'a\\"b', from: 10, to: 14, closed: false }],
    ['heap{job="a\\\\|"}', { prefix: 'a\\\\', from: 10, to: 13, closed: true }],
    ["heap{job=~'10\\\\.|", { label: 'job', prefix: '10\\\\.', quote: "'", closed: false }],
    ["heap{job='say \"hi|'}", { prefix: 'say "hi', quote: "'", closed: true }],
    ['heap{job=`a\\|', { prefix: 'a\\', quote: '`', closed: false }],
    ['heap{job=~"a|", env="x"}', { label: 'job', prefix: 'a', scope: 'heap{env="x"}' }],
    ['heap{env="x", job=~"a|"}', { label: 'job', scope: 'heap{env="x"}' }],
    ['heap{job="a", job=|', { label: 'job', scope: 'heap{job="a"}' }],
    ['{"quoted name"="x", "other"=|', { label: 'other', scope: '' }],
    ['{job=|}', { label: 'job', scope: '' }],
    // A string whose closing quote was lost runs into the next matcher: the value ends at the cursor.
    ['heap{job="ap|, env="x"}', { label: 'job', prefix: 'ap', from: 10, to: 12, quoted: true, closed: false }],
  ])('%s → %j', (marked, expected) => {
    expect(at(marked)).toMatchObject({ kind: 'labelValue', ...expected });
  });
});

describe('completionContext: nothing to complete', () => {
  it.each([
    'heap |',
    'heap{job="api"|}',
    'heap{job="api"}|',
    'heap{job="api"} |',
    'heap{job |',
    'heap{job="a" en|',
    'heap{job=|~"x"}',
    'heap{"quo|',
    '"heap|',
    'rate(|',
    'rate(heap{|',
    'heap # a comm|',
    '{ # |',
    'heap{job="a"}[5|',
  ])('%s', (marked) => {
    expect(at(marked)).toBeNull();
  });
});

describe('completionEdit', () => {
  it.each<[string, string, string]>([
    ['|', 'heap', 'heap|'],
    ['he|ap{job="a"}', 'heap', 'heap|{job="a"}'],
    ['|heap{job="a"}', 'alloc', 'alloc|{job="a"}'],
    // Profile types that are not bare names go into the braces as __name__.
    ['go|', 'go.heap', '{__name__="go.heap"}|'],
    ['|{job="a"}', 'go.heap', '{__name__="go.heap", |job="a"}'],
    ['|{}', 'offset', '{__name__="offset"|}'],
    ['heap{|', 'job', 'heap{job|'],
    ['heap{jo|b="x"}', 'env', 'heap{env|="x"}'],
    ['heap{job=|', 'api', 'heap{job="api"|'],
    ['heap{job=|', 'say "hi"\\', 'heap{job="say \\"hi\\"\\\\"|'],
    ['heap{job=a|}', 'api', 'heap{job="api"|}'],
    ['heap{job=|"old"}', 'new', 'heap{job="new"|}'],
    ['heap{job="|', 'api', 'heap{job="api"|'],
    ['heap{job="|"}', 'api', 'heap{job="api"|}'],
    ['heap{job="ap|i"}', 'api', 'heap{job="api"|}'],
    ['heap{job="a|pi", env="x"}', 'api-2', 'heap{job="api-2"|, env="x"}'],
    ['heap{job="ap|, env="x"}', 'api', 'heap{job="api"|, env="x"}'],
    ["heap{job='|'}", "it's", "heap{job='it\\'s'|}"],
    ["heap{job='|", 'say "hi"', "heap{job='say \"hi\"'|"],
    ['heap{path=`|`}', 'C:\\tmp', 'heap{path=`C:\\tmp`|}'],
    ['heap{path=`|', 'a`b', 'heap{path="a`b"|'],
    ['heap{path=`x|`}', 'a`b', 'heap{path="a`b"|}'],
  ])('%s + %j → %s', (marked, value, expected) => {
    expect(accept(marked, value)).toBe(expected);
  });
});

describe('completionLabel: what a choice is matched against', () => {
  it('is the value escaped for the open quote it is typed in', () => {
    expect(completionLabel(at('heap{job="|')!, 'a"b\\c')).toBe('a\\"b\\\\c');
    expect(completionLabel(at("heap{job='|")!, "it's \"x\"")).toBe("it\\'s \"x\"");
    expect(completionLabel(at('heap{job=`|')!, 'a\\b')).toBe('a\\b');
  });

  it('is the value itself outside a string', () => {
    expect(completionLabel(at('heap{job=|')!, 'a"b')).toBe('a"b');
    expect(completionLabel(at('he|')!, 'heap')).toBe('heap');
  });
});

describe('quoteLabelValue', () => {
  it.each<[string, '"' | "'", string]>([
    ['api', '"', '"api"'],
    ['10\\.0', '"', '"10\\\\.0"'],
    ['say "hi"', '"', '"say \\"hi\\""'],
    ["it's", "'", "'it\\'s'"],
    ['a\nb\tc', '"', '"a\\nb\\tc"'],
  ])('%j in %s → %s', (value, quote, literal) => {
    expect(quoteLabelValue(value, quote)).toBe(literal);
  });
});

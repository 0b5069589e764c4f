import { describe, expect, it } from 'vitest';
import { relabel, relabelConfigSchema, type RelabelRule } from '../../lib/relabel';
import type { Labels } from '../../lib/selector/matcher';

const rules = (...raw: object[]): RelabelRule[] => raw.map((r) => relabelConfigSchema.parse(r));

// The cases of Prometheus' model/relabel/relabel_test.go TestRelabel, written as YAML-shaped configs.
const cases: Array<{ name: string; input: Labels; rules: object[]; output: Labels | null }> = [
  {
    name: 'replace with ${1} in the replacement',
    input: { a: 'foo', b: 'bar', c: 'baz' },
    rules: [{ source_labels: ['a'], regex: 'f(.*)', target_label: 'd', replacement: 'ch${1}-ch${1}' }],
    output: { a: 'foo', b: 'bar', c: 'baz', d: 'choo-choo' },
  },
  {
    name: 'chained replaces see the previous result, joined by the separator',
    input: { a: 'foo', b: 'bar', c: 'baz' },
    rules: [
      { source_labels: ['a', 'b'], regex: 'f(.*);(.*)r', target_label: 'a', replacement: 'b${1}${2}m' },
      { source_labels: ['c', 'a'], regex: '(b).*b(.*)ba(.*)', target_label: 'd', replacement: '$1$2$2$3' },
    ],
    output: { a: 'boobam', b: 'bar', c: 'baz', d: 'boooom' },
  },
  {
    name: 'drop stops at the first dropping rule',
    input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: '.*o.*', action: 'drop' }, { source_labels: ['a'], regex: 'f(.*)', target_label: 'd', replacement: 'ch$1-ch$1' }],
    output: null,
  },
  { name: 'regex is anchored: f|o does not match foo', input: { a: 'foo' }, rules: [{ source_labels: ['a'], regex: 'f|o', action: 'drop' }], output: { a: 'foo' } },
  { name: 'drop without a match keeps', input: { a: 'foo' }, rules: [{ source_labels: ['a'], regex: 'no-match', action: 'drop' }], output: { a: 'foo' } },
  { name: 'keep without a match drops', input: { a: 'foo' }, rules: [{ source_labels: ['a'], regex: 'no-match', action: 'keep' }], output: null },
  { name: 'keep with a match keeps', input: { a: 'foo' }, rules: [{ source_labels: ['a'], regex: 'f.*', action: 'Keep' }], output: { a: 'foo' } },
  { name: 'replace extracts a group', input: { a: 'abc' }, rules: [{ source_labels: ['a'], regex: '.*(b).*', target_label: 'd' }], output: { a: 'abc', d: 'b' } },
  { name: 'no replacement without a match', input: { a: 'boo' }, rules: [{ source_labels: ['a'], regex: 'f', target_label: 'b', replacement: 'bar' }], output: { a: 'boo' } },
  {
    name: 'hashmod is md5-compatible with Prometheus',
    input: { a: 'foo', b: 'bar', c: 'baz' },
    rules: [{ source_labels: ['c'], target_label: 'd', action: 'hashmod', modulus: 1000 }],
    output: { a: 'foo', b: 'bar', c: 'baz', d: '976' },
  },
  { name: 'hashmod of a value with a newline', input: { a: 'foo\nbar' }, rules: [{ source_labels: ['a'], target_label: 'b', action: 'hashmod', modulus: 1000 }], output: { a: 'foo\nbar', b: '734' } },
  {
    name: 'labelmap copies matching names',
    input: { a: 'foo', b1: 'bar', b2: 'baz' },
    rules: [{ regex: '(b.*)', replacement: 'bar_${1}', action: 'labelmap' }],
    output: { a: 'foo', b1: 'bar', b2: 'baz', bar_b1: 'bar', bar_b2: 'baz' },
  },
  {
    name: 'labelmap strips a meta prefix',
    input: { a: 'foo', __meta_my_bar: 'aaa', __meta_my_baz: 'bbb', __meta_other: 'ccc' },
    rules: [{ regex: '__meta_(my.*)', replacement: '${1}', action: 'labelmap' }],
    output: { a: 'foo', __meta_my_bar: 'aaa', __meta_my_baz: 'bbb', __meta_other: 'ccc', my_bar: 'aaa', my_baz: 'bbb' },
  },
  {
    name: 'target_label from a group',
    input: { a: 'some-name-value' },
    rules: [{ source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', replacement: '${2}', target_label: '${1}' }],
    output: { a: 'some-name-value', name: 'value' },
  },
  {
    name: 'an empty replacement sets nothing',
    input: { a: 'some-name-value' },
    rules: [{ source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', replacement: '${3}', target_label: '${1}' }],
    output: { a: 'some-name-value' },
  },
  {
    name: 'a target_label that expands to an invalid name is skipped',
    input: { a: 'some-name-0' },
    rules: [
      { source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', replacement: '${1}', target_label: '${3}' },
      { source_labels: ['a'], regex: 'some-([^-]+)(-[^,]+)', replacement: '${1}', target_label: '${3}' },
    ],
    output: { a: 'some-name-0' },
  },
  {
    name: 'real-life tag parsing',
    input: { __meta_sd_tags: 'path:/secret,job:some-job,label:foo=bar' },
    rules: [
      { source_labels: ['__meta_sd_tags'], regex: '(?:.+,|^)path:(/[^,]+).*', replacement: '${1}', target_label: '__metrics_path__' },
      { source_labels: ['__meta_sd_tags'], regex: '(?:.+,|^)job:([^,]+).*', replacement: '${1}', target_label: 'job' },
      { source_labels: ['__meta_sd_tags'], regex: '(?:.+,|^)label:([^=]+)=([^,]+).*', replacement: '${2}', target_label: '${1}' },
    ],
    output: { __meta_sd_tags: 'path:/secret,job:some-job,label:foo=bar', __metrics_path__: '/secret', job: 'some-job', foo: 'bar' },
  },
  {
    name: 'labeldrop, then replace, then keep (prometheus#12283)',
    input: { __meta_kubernetes_pod_container_port_name: 'foo', __meta_kubernetes_pod_annotation_XXX_metrics_port: '9091' },
    rules: [
      { regex: '^__meta_kubernetes_pod_container_port_name$', action: 'labeldrop' },
      { source_labels: ['__meta_kubernetes_pod_annotation_XXX_metrics_port'], regex: '(.+)', replacement: 'metrics', target_label: '__meta_kubernetes_pod_container_port_name' },
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: '^metrics$', action: 'keep' },
    ],
    output: { __meta_kubernetes_pod_annotation_XXX_metrics_port: '9091', __meta_kubernetes_pod_container_port_name: 'metrics' },
  },
  { name: 'labelkeep', input: { a: 'foo', b1: 'bar', b2: 'baz' }, rules: [{ regex: '(b.*)', action: 'labelkeep' }], output: { b1: 'bar', b2: 'baz' } },
  { name: 'labeldrop', input: { a: 'foo', b1: 'bar', b2: 'baz' }, rules: [{ regex: '(b.*)', action: 'labeldrop' }], output: { a: 'foo' } },
  {
    name: 'uppercase and lowercase',
    input: { foo: 'bAr123Foo' },
    rules: [{ source_labels: ['foo'], action: 'uppercase', target_label: 'foo_uppercase' }, { source_labels: ['foo'], action: 'lowercase', target_label: 'foo_lowercase' }],
    output: { foo: 'bAr123Foo', foo_lowercase: 'bar123foo', foo_uppercase: 'BAR123FOO' },
  },
  ...(['keepequal', 'dropequal'] as const).flatMap((action) =>
    (['__port1', '__port2'] as const).map((target) => {
      const equal = target === '__port1';
      const input = { __tmp_port: '1234', __port1: '1234', __port2: '5678' };
      return { name: `${action} against ${equal ? 'an equal' : 'a different'} label`, input, rules: [{ source_labels: ['__tmp_port'], action, target_label: target }], output: (action === 'keepequal') === equal ? input : null };
    }),
  ),
  { name: '$1_x names a group "1_x", which is empty (Go template rules)', input: { a: 'foo' }, rules: [{ source_labels: ['a'], target_label: 'b', replacement: '$1_x' }], output: { a: 'foo' } },
  { name: '$$ is a literal dollar', input: { a: 'foo' }, rules: [{ source_labels: ['a'], target_label: 'b', replacement: '$$${1}' }], output: { a: 'foo', b: '$foo' } },
  { name: 'named groups (?P<name>)', input: { a: 'host:80' }, rules: [{ source_labels: ['a'], regex: '(?P<host>[^:]+):.*', target_label: 'h', replacement: '$host' }], output: { a: 'host:80', h: 'host' } },
  { name: 'a leading (?i) flag', input: { a: 'FOO' }, rules: [{ source_labels: ['a'], regex: '(?i)foo', action: 'keep' }], output: { a: 'FOO' } },
  { name: 'replacing with an empty value removes the label', input: { a: 'foo', b: 'x' }, rules: [{ target_label: 'b', replacement: '' }], output: { a: 'foo' } },
  // Prometheus 3 compiles relabel regexes as ^(?s:regex)$, so . also matches a newline.
  { name: '. matches a newline', input: { a: 'foo\nbar' }, rules: [{ source_labels: ['a'], regex: 'foo.bar', action: 'drop' }], output: null },
  { name: 'a replace captures across a newline', input: { a: 'x\ny' }, rules: [{ source_labels: ['a'], regex: '(.*)', target_label: 'b' }], output: { a: 'x\ny', b: 'x\ny' } },
  { name: 'a missing source label reads as empty', input: { a: 'foo' }, rules: [{ source_labels: ['missing'], regex: '', target_label: 'was_empty', replacement: 'yes' }], output: { a: 'foo', was_empty: 'yes' } },
];

describe('relabel', () => {
  it.each(cases)('$name', ({ input, rules: raw, output }) => {
    expect(relabel(input, rules(...raw))).toEqual(output);
  });

  it('does not modify the input label set', () => {
    const input = { a: 'foo' };
    relabel(input, rules({ regex: 'a', action: 'labeldrop' }));
    expect(input).toEqual({ a: 'foo' });
  });
});

// Prometheus' TestRelabelValidate and Validate(): each bad rule is refused with a message naming why.
const invalid: Array<[object, RegExp]> = [
  [{ action: 'replace', source_labels: ['a'] }, /needs a target_label/],
  [{ action: 'lowercase', source_labels: ['a'] }, /needs a target_label/],
  [{ action: 'lowercase', target_label: '${3}' }, /"\$\{3\}" is not a valid label name for the lowercase action/],
  [{ source_labels: ['a'], regex: 'some-([^-]+)', target_label: '0${3}' }, /"0\$\{3\}" is not a valid label name/],
  [{ source_labels: ['a'], target_label: '-${3}' }, /"-\$\{3\}" is not a valid label name/],
  [{ action: 'hashmod', source_labels: ['a'], target_label: 'b' }, /needs a modulus/],
  [{ action: 'labelmap', regex: '(.*)', replacement: '-x' }, /not a valid label name for the labelmap action/],
  [{ action: 'uppercase', source_labels: ['a'], target_label: 'b', replacement: 'x' }, /replacement cannot be set/],
  [{ action: 'keepequal', source_labels: ['a'], target_label: 'b', regex: 'x' }, /takes only source_labels and target_label/],
  [{ action: 'labeldrop', regex: 'x', source_labels: ['a'] }, /takes only regex/],
  [{ action: 'explode' }, /unknown relabel action/],
  [{ regex: '(unclosed', target_label: 'a' }, /regex "\(unclosed" does not compile/],
  [{ regex: '(?m)a', target_label: 'a' }, /flag \(\?m\) is not supported/],
  // Wrapped as ^(?:a)|(b)$ it would compile and match any value starting with a or ending with b.
  [{ regex: 'a)|(b', source_labels: ['a'], action: 'keep' }, /regex "a\)\|\(b" does not compile: Unmatched '\)'/],
  [{ regex: '[[:digit:]]+', source_labels: ['a'], action: 'keep' }, /POSIX class \[:digit:\] is not supported/],
  [{ source_labels: ['not-a-label'], target_label: 'a' }, /not a valid label name/],
  [{ target_label: 'a', tagret_label: 'b' }, /Unrecognized key/],
];

describe('relabel config validation', () => {
  it.each(invalid)('refuses %j', (raw, message) => {
    const result = relabelConfigSchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join('\n')).toMatch(message);
  });

  it('fills in the Prometheus defaults', () => {
    const [rule] = rules({ target_label: 'x' });
    expect(rule).toMatchObject({ action: 'replace', separator: ';', replacement: '$1', sourceLabels: [], modulus: 0 });
    expect(rule.regex.exec('any\nvalue')?.[1]).toBe('any\nvalue');
  });
});

/**
 * Selector highlighting: the Prometheus grammar profd parses selectors with (lib/selector/parse.ts),
 * coloured from the theme's variables so light and dark both follow app/globals.css.
 */
import { HighlightStyle, LRLanguage, LanguageSupport, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { parser } from '@prometheus-io/lezer-promql';

const selectorLanguage = LRLanguage.define({
  name: 'promql-selector',
  parser,
  languageData: { closeBrackets: { brackets: ['{', '"', "'", '`'] } },
});

const selectorHighlight = HighlightStyle.define([
  { tag: tags.variableName, color: 'var(--accent)', fontWeight: '600' },
  { tag: tags.labelName, color: 'var(--fg)' },
  { tag: tags.string, color: 'var(--ok)' },
  { tag: [tags.operator, tags.brace, tags.paren, tags.squareBracket], color: 'var(--muted)' },
  { tag: tags.comment, color: 'var(--muted)', fontStyle: 'italic' },
  // PromQL beyond a selector (functions, aggregations, numbers) is refused by the API: set it apart.
  { tag: [tags.function(tags.variableName), tags.operatorKeyword, tags.modifier, tags.logicOperator, tags.number], color: 'var(--warn)' },
  { tag: tags.invalid, color: 'var(--error)' },
]);

/** The selector language with its highlighting. */
export function selectorSyntax(): LanguageSupport {
  return new LanguageSupport(selectorLanguage, [syntaxHighlighting(selectorHighlight)]);
}

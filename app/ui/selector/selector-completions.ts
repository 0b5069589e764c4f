/**
 * The editor's completion source: what to complete comes from lib/selector/completion.ts, the choices
 * from profd's label API, scoped by the rest of the selector and the time range in view.
 *
 * Written over our own context rather than codemirror-promql's PromQLExtension: that one offers PromQL
 * functions, aggregations and keywords (none of which a profile selector may hold) and reads
 * `/api/v1/metadata`, which profd does not serve; turning those off leaves little of it.
 */
import { pickedCompletion, type Completion, type CompletionResult, type CompletionSource } from '@codemirror/autocomplete';
import type { EditorView } from '@codemirror/view';
import { completionContext, completionEdit, completionLabel, type SelectorCompletion } from '@/lib/selector/completion';
import { getJson, isAbort } from '../api-client';
import { LookupCache, lookupRequest, type LookupRange, type LookupRequest } from './label-lookup';

/** The answers of every editor on the page are shared: the same lookup from two places is one read. */
const lookups = new LookupCache(async (request: LookupRequest, signal: AbortSignal) => {
  const { data } = await getJson<string[]>(request.path, request.params, signal);
  return data;
});

// Typing more of the same word or string filters the choices already shown instead of asking again.
const WORD = /^[a-zA-Z0-9_:]*$/;
const VALID_FOR: Readonly<Record<string, RegExp>> = {
  '"': /^(?:[^"\\]|\\.)*\\?$/,
  "'": /^(?:[^'\\]|\\.)*\\?$/,
  '`': /^[^`]*$/,
};

/** Completes profile types, label names and label values, reading `range()` at each lookup. */
export function selectorCompletions(range: () => LookupRange): CompletionSource {
  return async (cm): Promise<CompletionResult | null> => {
    const context = completionContext(cm.state.doc.toString(), cm.pos);
    if (context === null) return null;
    const controller = new AbortController();
    cm.addEventListener('abort', () => controller.abort(), { onDocChange: true });
    let values: readonly string[];
    try {
      values = await lookups.get(lookupRequest(context, range()), controller.signal);
    } catch (err) {
      // A failed lookup only means no choices; the query itself reports what is wrong when it runs.
      if (!isAbort(err)) console.warn('selector completion:', err);
      return null;
    }
    const choices = context.kind === 'labelName' ? values.filter((name) => !context.used.includes(name)) : values;
    return {
      from: context.from,
      options: choices.map((value) => option(context, value)),
      validFor: context.kind === 'labelValue' && context.quote !== null ? VALID_FOR[context.quote] : WORD,
    };
  };
}

function option(context: SelectorCompletion, value: string): Completion {
  const label = completionLabel(context, value);
  return {
    label,
    displayLabel: label === value ? undefined : value,
    apply: (view, completion) => accept(view, completion, context, value),
  };
}

/**
 * Writes `value` in: the context is read again at the cursor, since the text may have grown while the
 * choices were filtered, and the whole word or string under the cursor is replaced.
 */
function accept(view: EditorView, completion: Completion, shown: SelectorCompletion, value: string): void {
  const text = view.state.doc.toString();
  const context = completionContext(text, view.state.selection.main.head) ?? shown;
  const edit = completionEdit(text, context, value);
  view.dispatch({
    changes: { from: edit.from, to: edit.to, insert: edit.insert },
    selection: { anchor: edit.cursor },
    userEvent: 'input.complete',
    annotations: pickedCompletion.of(completion),
  });
}

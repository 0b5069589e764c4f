'use client';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { Annotation, EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import styles from './SelectorEditor.module.css';
import { selectorCompletions } from './selector-completions';
import { selectorSyntax } from './selector-language';
import { singleLine } from './single-line';

/** What the page may do with the editor: focus it (the page's `/` shortcut). */
export interface SelectorEditorHandle {
  focus(): void;
}

export interface SelectorEditorProps {
  /** The selector text; the document follows it when it changes from outside (the URL). */
  value: string;
  /** Enter or the Run button; Enter accepts an open completion first. */
  onRun(text: string): void;
  onChange?(text: string): void;
  /** Shown under the editor, whose border then turns to the error colour. */
  error?: string | null;
  /** The time range in view, Unix ms: completions only offer labels seen in it. */
  start?: number;
  end?: number;
  editorRef?: (view: SelectorEditorHandle | null) => void;
}

/** Marks the transaction that brings the document in line with `value`, which is no edit to report. */
const fromOutside = Annotation.define<boolean>();

const editorTheme = EditorView.theme({
  '&': { flex: '1', minWidth: '0', color: 'var(--fg)', backgroundColor: 'transparent', fontSize: '13px' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '20px', overflowX: 'auto', scrollbarWidth: 'none' },
  '.cm-content': { padding: '3px 0', caretColor: 'var(--fg)' },
  '.cm-line': { padding: '0 8px' },
  '.cm-placeholder': { color: 'var(--muted)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 30%, transparent)',
  },
  '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--panel-2)', outline: '1px solid var(--border)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--panel)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
    borderRadius: 'var(--radius)',
    boxShadow: '0 4px 12px rgb(0 0 0 / 0.18)',
  },
  '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: 'var(--mono)', fontSize: '12px', maxHeight: '18em', minWidth: '16em' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul > li': { padding: '1px 8px', lineHeight: '18px' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-fg)' },
  '.cm-completionMatchedText': { textDecoration: 'none', fontWeight: '700' },
});

/**
 * The selector box of the query page: one line of PromQL selector with highlighting and completion of
 * profile types, label names and values from profd, run by Enter or the Run button.
 */
export function SelectorEditor({ value, onRun, onChange, error, start, end, editorRef }: SelectorEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The editor is built once; these let its handlers see the latest props.
  const latest = useRef({ onRun, onChange, editorRef, start, end });
  latest.current = { onRun, onChange, editorRef, start, end };

  useEffect(() => {
    const run = (editor: EditorView) => {
      latest.current.onRun(editor.state.doc.toString().trim());
      return true;
    };
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          singleLine,
          history(),
          closeBrackets(),
          selectorSyntax(),
          autocompletion({
            override: [selectorCompletions(() => ({ start: latest.current.start, end: latest.current.end }))],
            icons: false,
          }),
          // Below the completion keymap, so Enter picks an open completion before it runs the query.
          Prec.high(keymap.of([{ key: 'Enter', run }, { key: 'Mod-Enter', run }, { key: 'Shift-Enter', run }])),
          keymap.of([...closeBracketsKeymap, ...completionKeymap, ...historyKeymap, ...defaultKeymap]),
          placeholder('profile{job="api"}  — Enter to run'),
          EditorView.contentAttributes.of({ 'aria-label': 'Selector', spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off' }),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged || update.transactions.some((tr) => tr.annotation(fromOutside))) return;
            latest.current.onChange?.(update.state.doc.toString());
          }),
          editorTheme,
        ],
      }),
    });
    view.current = editor;
    latest.current.editorRef?.({ focus: () => editor.focus() });
    return () => {
      latest.current.editorRef?.(null);
      view.current = null;
      editor.destroy();
    };
    // Built once with the initial value; later values arrive through the effect below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor === null || editor.state.doc.toString() === value) return;
    editor.dispatch({
      changes: { from: 0, to: editor.state.doc.length, insert: value },
      selection: { anchor: value.length },
      annotations: fromOutside.of(true),
    });
  }, [value]);

  const invalid = Boolean(error);
  return (
    <div className={styles.root}>
      <div className={styles.row}>
        <div
          ref={host}
          className={invalid ? `${styles.editor} ${styles.invalid}` : styles.editor}
          data-testid="selector-editor"
          aria-invalid={invalid}
        />
        <button
          type="button"
          className={styles.run}
          data-testid="run-query"
          title="Run the query (Enter)"
          onClick={() => {
            if (view.current) latest.current.onRun(view.current.state.doc.toString().trim());
          }}
        >
          Run
        </button>
      </div>
      {invalid && (
        <div className={styles.error} data-testid="selector-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

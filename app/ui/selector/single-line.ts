import { EditorState, Transaction, type TransactionSpec } from '@codemirror/state';

/**
 * Keeps the document one line: a selector has no use for line breaks, and a pasted multi-line selector
 * should still run. Each break becomes a space, so lengths and the selection stay as they were.
 */
export const singleLine = EditorState.transactionFilter.of((tr): Transaction | TransactionSpec[] => {
  if (!tr.docChanged || tr.newDoc.lines === 1) return tr;
  const changes: { from: number; to: number; insert: string }[] = [];
  tr.changes.iterChanges((from, to, _fromB, _toB, inserted) => {
    changes.push({ from, to, insert: inserted.sliceString(0, inserted.length, ' ') });
  });
  const userEvent = tr.annotation(Transaction.userEvent);
  return [
    {
      changes,
      selection: tr.selection,
      effects: tr.effects,
      scrollIntoView: tr.scrollIntoView,
      annotations: userEvent === undefined ? [] : [Transaction.userEvent.of(userEvent)],
    },
  ];
});

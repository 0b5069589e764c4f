/**
 * The rules a label name or value must follow to be stored. Selectors, the storage layer and the ingest
 * API all check labels here, so a label set accepted at one door is accepted at every other.
 */

/** The label holding a series' profile type, as `__name__` holds the metric name in Prometheus. */
export const NAME_LABEL = '__name__';

/** Longest stored label name, in characters (names are ASCII). */
export const MAX_LABEL_NAME_LENGTH = 128;

/**
 * Longest stored label value, in UTF-8 bytes. Postgres refuses B-tree index entries over ~2.7 kB, so an
 * unbounded value would surface as a database error instead of a message the sender can act on.
 */
export const MAX_LABEL_VALUE_BYTES = 1024;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// With the `u` flag a lone surrogate (no UTF-8 encoding exists) is the only thing \p{Cs} can match.
const LONE_SURROGATE = /\p{Cs}/u;
const utf8 = new TextEncoder();

/** True when `name` has label-name syntax (`[a-zA-Z_][a-zA-Z0-9_]*`), reserved or not. */
export function hasLabelNameSyntax(name: string): boolean {
  return LABEL_NAME.test(name);
}

/** Why a label name cannot be stored; a `reserved` name is well formed but kept for internal use. */
export interface LabelNameFault {
  readonly reserved: boolean;
  readonly message: string;
}

/** What is wrong with `name` as a stored label name, or undefined when it can be stored. */
export function labelNameFault(name: string): LabelNameFault | undefined {
  const quoted = JSON.stringify(name);
  const invalid = (message: string) => ({ reserved: false, message });
  if (name === '') return invalid('label name is empty');
  if (!LABEL_NAME.test(name)) return invalid(`label name ${quoted} is not valid: use letters, digits and _, and do not start with a digit`);
  if (name.length > MAX_LABEL_NAME_LENGTH) return invalid(`label name ${quoted} is longer than ${MAX_LABEL_NAME_LENGTH} characters`);
  if (name.startsWith('__') && name !== NAME_LABEL) {
    return { reserved: true, message: `label name ${quoted} is reserved: names starting with __ are internal, only ${NAME_LABEL} may be set` };
  }
  return undefined;
}

/** Why `name` cannot be a stored label name, or undefined when it can. */
export function labelNameProblem(name: string): string | undefined {
  return labelNameFault(name)?.message;
}

/** True when `name` may be stored as a label name. */
export function isValidLabelName(name: string): boolean {
  return labelNameProblem(name) === undefined;
}

/** Why `text` cannot be stored in a Postgres text column (NUL, unpaired surrogate), or undefined. */
export function labelTextProblem(text: string): string | undefined {
  if (text.includes('\0')) return 'contains a NUL character, which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'is not valid Unicode (it has an unpaired surrogate)';
  return undefined;
}

/**
 * Why `value` cannot be stored as a label value, or undefined when it can. Given the label's `name`, the
 * message names it, for callers (such as storage) whose errors do not point at the label otherwise.
 */
export function labelValueProblem(value: string, name?: string): string | undefined {
  const subject = name === undefined ? 'label value' : `the value of label ${JSON.stringify(name)}`;
  const problem = labelTextProblem(value);
  if (problem) return `${subject} ${problem}`;
  const bytes = utf8.encode(value).length;
  if (bytes > MAX_LABEL_VALUE_BYTES) return `${subject} is ${bytes} bytes long; the limit is ${MAX_LABEL_VALUE_BYTES}`;
  return undefined;
}

/** True when `value` may be stored as a label value. */
export function isValidLabelValue(value: string): boolean {
  return labelValueProblem(value) === undefined;
}

import { createHash } from 'node:crypto';
import type { Labels } from '../selector/matcher';
import { StorageInputError } from './errors';

/** The label that holds a series' profile type (`heap`, `profile`, `goroutine`…), as in Prometheus. */
export const PROFILE_TYPE_LABEL = '__name__';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const PROFILE_TYPE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
// With the u flag \p{Surrogate} matches only unpaired surrogates, which have no UTF-8 form.
const UNSTORABLE = /[\p{Surrogate}\u0000]/u;

/** True when `name` is a syntactically valid Prometheus label name. */
export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

/** Checks a stored label's name: valid, and not reserved. `where` prefixes the error ("profile 2 of 5"). */
function checkLabelName(name: string, where: string): void {
  if (!LABEL_NAME.test(name)) {
    throw new StorageInputError('invalid_label_name', `${where}: label name ${JSON.stringify(name)} is invalid (use letters, digits and _, not starting with a digit)`);
  }
  if (name.startsWith('__') && name !== PROFILE_TYPE_LABEL) {
    throw new StorageInputError('reserved_label_name', `${where}: label name ${JSON.stringify(name)} is reserved (names starting with __ are internal, except __name__)`);
  }
}

/**
 * Validates a label set and returns it in canonical form: names sorted, empty values dropped (an empty
 * value means "no such label" in Prometheus). Refuses bad names, values Postgres cannot store as text
 * (lone surrogates, NUL), sets left empty and sets without a valid `__name__`.
 */
export function normalizeLabels(labels: Labels, where: string): Labels {
  const names = Object.keys(labels).filter((name) => labels[name] !== '');
  if (names.length === 0) throw new StorageInputError('empty_labels', `${where}: the label set is empty`);
  names.sort(compareCodePoints);
  const out: Record<string, string> = {};
  for (const name of names) {
    checkLabelName(name, where);
    const value = labels[name];
    if (UNSTORABLE.test(value)) {
      throw new StorageInputError('invalid_label_value', `${where}: the value of label ${name} is not valid UTF-8 text`);
    }
    out[name] = value;
  }
  const type = out[PROFILE_TYPE_LABEL];
  if (type === undefined) {
    throw new StorageInputError('missing_profile_type', `${where}: the label set has no ${PROFILE_TYPE_LABEL} (the profile type, e.g. heap or profile)`);
  }
  if (!PROFILE_TYPE.test(type)) {
    throw new StorageInputError('invalid_label_value', `${where}: profile type ${PROFILE_TYPE_LABEL}=${JSON.stringify(type)} is invalid (use letters, digits, _ and :)`);
  }
  return out;
}

/**
 * The stable identity of a canonical label set: SHA-256 of its sorted name/value pairs as JSON. Any
 * change to this encoding would split every existing series in two, so it must never change.
 */
export function fingerprint(labels: Labels): Buffer {
  return createHash('sha256').update(JSON.stringify(Object.entries(labels))).digest();
}

/** Formats a label set as a selector, `{__name__="heap", job="api"}`, for error messages and logs. */
export function formatLabels(labels: Labels): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

// Label names are ASCII (checked above), so UTF-16 order is Go's byte order, the order Prometheus uses.
function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { createHash } from 'node:crypto';
import type { Labels } from '../selector/matcher';
import { hasLabelNameSyntax, labelNameFault, labelValueProblem, NAME_LABEL } from '../selector/labels';
import { StorageInputError } from './errors';

/** The label that holds a series' profile type (`heap`, `profile`, `goroutine`…), as in Prometheus. */
export const PROFILE_TYPE_LABEL = NAME_LABEL;

/** True when `name` has label-name syntax; the selector module's rule, which matchers follow too. */
export const isLabelName = hasLabelNameSyntax;

const PROFILE_TYPE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Validates a label set and returns it in canonical form: names sorted, empty values dropped (an empty
 * value means "no such label" in Prometheus). Names and values follow lib/selector/labels.ts, the rules
 * every door checks; refused too are sets left empty and sets without a valid `__name__`.
 */
export function normalizeLabels(labels: Labels, where: string): Labels {
  const names = Object.keys(labels).filter((name) => labels[name] !== '');
  if (names.length === 0) throw new StorageInputError('empty_labels', `${where}: the label set is empty`);
  names.sort(compareCodePoints);
  const out: Record<string, string> = {};
  for (const name of names) {
    const fault = labelNameFault(name);
    if (fault) throw new StorageInputError(fault.reserved ? 'reserved_label_name' : 'invalid_label_name', `${where}: ${fault.message}`);
    const problem = labelValueProblem(labels[name], name);
    if (problem) throw new StorageInputError('invalid_label_value', `${where}: ${problem}`);
    out[name] = labels[name];
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

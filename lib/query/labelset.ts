/**
 * Label sets written as text: Conprof's series keys (`labelsetEncoded`, used in its `/download/…`
 * and `/pprof/…` links) and the `series=heap{job="batch"}` form the ingest API takes.
 */
import { ApiError } from '../api/errors';
// By file rather than through ../selector's index, which brings zod along: the UI imports this module.
import type { LabelMatcher, Labels } from '../selector/matcher';
import { parseSelector } from '../selector/parse';
import { printSelector } from '../selector/print';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/**
 * Conprof's key for a series: URL-safe base64, padded as Go's `base64.URLEncoding` pads, of the label
 * set as Prometheus prints it, `{__name__="heap", job="api"}`. Values are quoted with JSON's escapes,
 * which agree with Go's `strconv.Quote` for printable text.
 */
export function encodeLabelset(labels: Labels): string {
  const text = `{${Object.entries(labels).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(', ')}}`;
  return Buffer.from(text).toString('base64url').padEnd(Math.ceil(Buffer.byteLength(text) / 3) * 4, '=');
}

/** The label set behind a Conprof series key; a `bad_data` error when it is not one. */
export function decodeLabelset(encoded: string): Labels {
  if (!BASE64URL.test(encoded)) {
    const what = `series key ${JSON.stringify(encoded)}`;
    throw new ApiError('bad_data', `${what} is not URL-safe base64 (the labelsetEncoded of a query_range series)`);
  }
  return exactLabels(Buffer.from(encoded, 'base64url').toString('utf8'), 'the series key');
}

/**
 * The label set a selector of `=` matchers spells out: `heap{job="batch"}` is
 * `{__name__: "heap", job: "batch"}`. `what` names the parameter in errors.
 */
export function exactLabels(text: string, what: string): Labels {
  const matchers = parseSelector(text);
  const labels: Record<string, string> = {};
  for (const matcher of matchers) {
    if (matcher.type !== '=') {
      throw new ApiError('bad_data', `${what}: ${matcher.name}${matcher.type}… is a pattern; a label set takes only name="value" pairs`);
    }
    if (matcher.name in labels) throw new ApiError('bad_data', `${what}: label ${matcher.name} is given twice`);
    labels[matcher.name] = matcher.value;
  }
  return labels;
}

/** Equality matchers for every label of a set, which select it and any set that extends it. */
export function labelMatchers(labels: Labels): LabelMatcher[] {
  return Object.entries(labels).map(([name, value]) => ({ name, type: '=', value }));
}

/** A label set as storage keeps it and a selector writes it, `heap{instance="a:1", job="api"}`, for messages and links. */
export function formatSeries(labels: Labels): string {
  const { __name__: name, ...rest } = labels;
  const names = Object.keys(rest).filter((n) => rest[n] !== '').sort();
  const matchers = labelMatchers(Object.fromEntries(names.map((n) => [n, rest[n]])));
  return printSelector(name ? [{ name: '__name__', type: '=', value: name }, ...matchers] : matchers);
}

/** Two label sets are the same series when they hold the same pairs. */
export function sameLabels(a: Labels, b: Labels): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => b[name] === a[name]);
}

/**
 * Zod schemas for the HTTP API's query parameters, so every route reads times, durations, selectors and
 * limits the same way and refuses bad ones with the same messages. Values arrive as strings (or arrays,
 * for `name[]` keys); each schema turns them into what `lib/query` takes.
 */
import { z } from 'zod';
import { parseSelector } from '../selector/parse';
import { formatDuration, parseDuration } from '../time/duration';
import { parseTime } from '../time/parse-time';
import { ApiError, describeZodError } from './errors';

const REQUIRED = { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : 'must be a single value') };

/** The object a schema validates: `name[]` keys as arrays of all their values, other keys as one string. */
export function searchParamsObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    if (key.endsWith('[]')) out[key] = values;
    else if (values.length === 1) out[key] = values[0];
    else throw new ApiError('bad_data', `${key}: is given ${values.length} times; give it once (or use ${key}[] where a list is allowed)`);
  }
  return out;
}

/** The validated parameters; throws a `bad_data` ApiError naming every bad parameter at once. */
export function parseSearchParams<S extends z.ZodType>(params: URLSearchParams, schema: S): z.output<S> {
  const result = schema.safeParse(searchParamsObject(params));
  if (!result.success) throw new ApiError('bad_data', describeZodError(result.error));
  return result.data;
}

/** A required string parameter read by `parse`, whose Error message becomes the parameter's issue. */
export function parsedParam<T>(parse: (text: string) => T) {
  return z.string(REQUIRED).transform((text, ctx) => {
    try {
      return parse(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });
}

/** A time (Unix ms, RFC 3339, `now-1h`) as Unix ms; relative forms count back from `now`. */
export function timeParam(now: number) {
  return parsedParam((text) => parseTime(text, now));
}

/** A positive Prometheus duration (`15s`, `1h30m`) as milliseconds. */
export const durationParam = parsedParam(parseDuration).refine((ms) => ms > 0, 'must be longer than 0s');

/** A selector such as `heap{job="api"}`, as its label matchers. */
export const selectorParam = parsedParam(parseSelector);

/** The repeated `match[]` parameter: one or more selectors. */
export const matchParam = z
  .array(selectorParam, { error: 'give at least one selector, such as match[]=heap{job="api"}' })
  .min(1, 'give at least one selector, such as match[]=heap{job="api"}');

/** A whole number from 1 to `max`, `fallback` when absent. */
export function limitParam(max: number, fallback: number) {
  const message = `must be a whole number from 1 to ${max}`;
  return z
    .string(REQUIRED)
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return fallback;
      const limit = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (limit >= 1 && limit <= max) return limit;
      ctx.addIssue({ code: 'custom', message: `${message}, got ${JSON.stringify(text)}` });
      return z.NEVER;
    });
}

/** One of `values`; the message for anything else lists them. Add `.default(…)` where it is optional. */
export function enumParam<const T extends readonly [string, ...string[]]>(values: T) {
  const allowed = values.map((value) => JSON.stringify(value)).join(', ');
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined ? `is required: use one of ${allowed}` : `must be one of ${allowed}, got ${JSON.stringify(issue.input)}`,
  });
}

/** What bounds a `from`/`to` pair. */
export interface TimeRangeOptions {
  /** The base of relative times, Unix ms: one value for both ends, so `now-1h` to `now` is exactly 1h. */
  readonly now: number;
  /** The widest range allowed, in ms; wider ranges would read too many profiles for one request. */
  readonly maxWindowMs: number;
}

/** `shape` plus `from` and `to` times, checked for `from <= to` and a window of at most `maxWindowMs`. */
export function withTimeRange<S extends z.ZodRawShape>(shape: S, { now, maxWindowMs }: TimeRangeOptions) {
  return z.object({ ...shape, from: timeParam(now), to: timeParam(now) }).superRefine((params, ctx) => {
    const { from, to } = params as { from: number; to: number };
    if (from > to) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: `${iso(from)} is after to (${iso(to)}); swap them` });
    } else if (to - from > maxWindowMs) {
      const span = `the range ${iso(from)} to ${iso(to)} spans ${formatDuration(to - from)}`;
      ctx.addIssue({ code: 'custom', path: ['from'], message: `${span}, more than the ${formatDuration(maxWindowMs)} allowed; narrow it` });
    }
  });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

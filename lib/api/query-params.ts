/**
 * The parameters of `/api/v1/query`, as Conprof takes them: `mode=single` (`query`, `time`),
 * `mode=merge` (`query`, `from`, `to`) or `mode=diff` (two sides, each with its own `mode_a`/`mode_b`
 * and `_a`/`_b` parameters), then `report`, `sample_index` and `node_fraction`.
 */
import { z, ZodError } from 'zod';
import type { ProfileQuery, Selection } from '../query/load';
import { REPORTS, type ReportKind, type ReportOptions } from '../query/report';
import { ApiError, describeZodError } from './errors';
import { enumParam, parseSearchParams, searchParamsObject, selectorParam, timeParam, withTimeRange, type TimeRangeOptions } from './params';
import { sampleIndexParam } from './route-params';

/** A parsed `/api/v1/query` request. */
export interface QueryRequest extends ReportOptions {
  readonly query: ProfileQuery;
  readonly report: ReportKind;
}

const SIDE_MODES = ['single', 'merge'] as const;

const fractionParam = z
  .string()
  .regex(/^(0|1|0?\.\d+|1\.0*)$/, 'must be a number from 0 to 1, e.g. 0.005')
  .transform(Number);

const commonParams = z.object({
  mode: enumParam([...SIDE_MODES, 'diff']).default('single'),
  report: enumParam(REPORTS).default('top'),
  sample_index: sampleIndexParam.optional(),
  node_fraction: fractionParam.optional(),
});

/**
 * Reads the parameters in two steps, mode and report first, then what each side selects; each step
 * names all its bad parameters, a diff's with their `_a`/`_b` suffix.
 */
export function parseQueryRequest(params: URLSearchParams, range: TimeRangeOptions): QueryRequest {
  const common = parseSearchParams(params, commonParams);
  const options = { report: common.report, sampleType: common.sample_index, nodeFraction: common.node_fraction };
  if (common.mode !== 'diff') return { ...options, query: parseSelection(params, common.mode, '', range) };
  const sides = parseSearchParams(params, z.object({ mode_a: enumParam(SIDE_MODES), mode_b: enumParam(SIDE_MODES) }));
  const a = parseSelection(params, sides.mode_a, '_a', range);
  const b = parseSelection(params, sides.mode_b, '_b', range);
  return { ...options, query: { mode: 'diff', a, b } };
}

/** One selection, read from the parameters that end in `suffix`. */
function parseSelection(params: URLSearchParams, mode: Selection['mode'], suffix: string, range: TimeRangeOptions): Selection {
  const all = searchParamsObject(params);
  const own = Object.fromEntries(['query', 'time', 'from', 'to'].map((name) => [name, all[name + suffix]]).filter(([, value]) => value !== undefined));
  try {
    if (mode === 'single') {
      const p = z.object({ query: selectorParam, time: timeParam(range.now) }).parse(own);
      return { mode, matchers: p.query, timeMs: p.time };
    }
    const p = withTimeRange({ query: selectorParam }, range).parse(own);
    return { mode, matchers: p.query, fromMs: p.from, toMs: p.to };
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    const issues = err.issues.map((issue) => {
      const [name, ...rest] = issue.path;
      return name === undefined ? issue : { ...issue, path: [`${String(name)}${suffix}`, ...rest] };
    });
    throw new ApiError('bad_data', describeZodError(new ZodError(issues)));
  }
}

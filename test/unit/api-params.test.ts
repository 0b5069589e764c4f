import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../../lib/api/errors';
import {
  durationParam,
  enumParam,
  limitParam,
  matchParam,
  parseSearchParams,
  searchParamsObject,
  selectorParam,
  timeParam,
  withTimeRange,
} from '../../lib/api/params';

const now = Date.UTC(2026, 10, 25, 3, 0, 0);
const hour = 3_600_000;

function parse(query: string, shape: z.ZodRawShape): unknown {
  return parseSearchParams(new URLSearchParams(query), z.object(shape));
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).type).toBe('bad_data');
    return (err as ApiError).message;
  }
  throw new Error('expected the parameters to be refused');
}

describe('searchParamsObject', () => {
  it('gives name[] keys as arrays and other keys as strings', () => {
    const params = new URLSearchParams('match[]=heap&match[]=cpu&from=now-1h&empty=');
    expect(searchParamsObject(params)).toEqual({ 'match[]': ['heap', 'cpu'], from: 'now-1h', empty: '' });
  });

  it('refuses a plain parameter given twice', () => {
    expect(refusal(() => searchParamsObject(new URLSearchParams('from=1&from=2')))).toBe(
      'from: is given 2 times; give it once (or use from[] where a list is allowed)',
    );
  });
});

describe('parameter schemas accept', () => {
  it.each<[string, z.ZodRawShape, unknown]>([
    ['at=now-1h', { at: timeParam(now) }, { at: now - hour }],
    ['at=2026-11-25T02:14:00Z', { at: timeParam(now) }, { at: Date.UTC(2026, 10, 25, 2, 14) }],
    ['step=1m30s', { step: durationParam }, { step: 90_000 }],
    ['query=heap{job="api"}', { query: selectorParam }, { query: [{ name: '__name__', type: '=', value: 'heap' }, { name: 'job', type: '=', value: 'api' }] }],
    ['match[]=heap&match[]=cpu', { 'match[]': matchParam }, { 'match[]': [[{ name: '__name__', type: '=', value: 'heap' }], [{ name: '__name__', type: '=', value: 'cpu' }]] }],
    ['limit=1000', { limit: limitParam(1000, 100) }, { limit: 1000 }],
    ['', { limit: limitParam(1000, 100) }, { limit: 100 }],
    ['mode=cum', { mode: enumParam(['flat', 'cum']) }, { mode: 'cum' }],
    ['', { mode: enumParam(['flat', 'cum']).default('flat') }, { mode: 'flat' }],
  ])('%s', (query, shape, expected) => {
    expect(parse(query, shape)).toEqual(expected);
  });
});

describe('parameter schemas refuse, naming the parameter', () => {
  it.each<[string, z.ZodRawShape, string]>([
    ['', { at: timeParam(now) }, 'at: is required'],
    ['at=yesterday', { at: timeParam(now) }, 'at: not a time: "yesterday"; use Unix milliseconds'],
    ['step=5', { step: durationParam }, 'step: not a valid duration: "5"'],
    ['step=0', { step: durationParam }, 'step: must be longer than 0s'],
    ['query=heap{job', { query: selectorParam }, 'query: expected "=", "!=", "=~" or "!~" after label name "job" at position 8'],
    ['', { 'match[]': matchParam }, 'match[]: give at least one selector'],
    ['match[]=heap&match[]=rate(cpu[1m])', { 'match[]': matchParam }, 'match[] #2: functions such as rate() are not supported'],
    ['limit=0', { limit: limitParam(1000, 100) }, 'limit: must be a whole number from 1 to 1000, got "0"'],
    ['limit=1001', { limit: limitParam(1000, 100) }, 'limit: must be a whole number from 1 to 1000, got "1001"'],
    ['limit=1e3', { limit: limitParam(1000, 100) }, 'got "1e3"'],
    ['limit=', { limit: limitParam(1000, 100) }, 'got ""'],
    ['mode=total', { mode: enumParam(['flat', 'cum']) }, 'mode: must be one of "flat", "cum", got "total"'],
    ['', { report: enumParam(['top', 'flamegraph']) }, 'report: is required: use one of "top", "flamegraph"'],
  ])('%s', (query, shape, message) => {
    expect(refusal(() => parse(query, shape))).toContain(message);
  });

  it('names every bad parameter at once', () => {
    const message = refusal(() => parse('limit=x&mode=y', { limit: limitParam(10, 5), mode: enumParam(['a', 'b']) }));
    expect(message).toBe('limit: must be a whole number from 1 to 10, got "x"; mode: must be one of "a", "b", got "y"');
  });
});

describe('withTimeRange', () => {
  const schema = withTimeRange({ query: selectorParam }, { now, maxWindowMs: 24 * hour });
  const read = (query: string) => parseSearchParams(new URLSearchParams(query), schema);

  it('reads from and to against one now', () => {
    expect(read('query=heap&from=now-1h&to=now')).toMatchObject({ from: now - hour, to: now });
    expect(read('query=heap&from=now-1d&to=now')).toMatchObject({ from: now - 24 * hour });
    expect(read('query=heap&from=now&to=now')).toMatchObject({ from: now, to: now });
  });

  it.each<[string, string]>([
    ['query=heap&from=now&to=now-1h', 'from: 2026-11-25T03:00:00.000Z is after to (2026-11-25T02:00:00.000Z); swap them'],
    ['query=heap&from=now-25h&to=now', 'spans 1d1h, more than the 1d allowed; narrow it'],
    ['query=heap&to=now', 'from: is required'],
    ['from=now-1h&to=now', 'query: is required'],
  ])('%s', (query, message) => {
    expect(refusal(() => read(query))).toContain(message);
  });
});

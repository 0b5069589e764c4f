import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, type ApiErrorType } from '../../lib/api/errors';
import { errorResponse, success } from '../../lib/api/envelope';
import { ProfileError } from '../../lib/pprof/errors';
import { parseSelector } from '../../lib/selector';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

const noLog = () => {};

describe('success', () => {
  it('wraps data, leaving warnings out when there are none', () => {
    expect(success({ series: 2 })).toEqual({ status: 200, body: { status: 'success', data: { series: 2 } } });
    expect(success([], ['2 profiles could not be read'])).toEqual({
      status: 200,
      body: { status: 'success', data: [], warnings: ['2 profiles could not be read'] },
    });
  });
});

describe('errorResponse', () => {
  it.each<[ApiErrorType, number]>([
    ['bad_data', 400],
    ['execution', 422],
    ['timeout', 503],
    ['not_found', 404],
    ['internal', 500],
  ])('ApiError %s → %d with its message', (type, status) => {
    expect(errorResponse(new ApiError(type, 'what went wrong'))).toEqual({
      status,
      body: { status: 'error', errorType: type, error: 'what went wrong' },
    });
  });

  it.each<[string, unknown, number, ApiErrorType, string]>([
    ['a body over the limit', ApiError.tooLarge('body is over 16 MiB'), 413, 'bad_data', 'body is over 16 MiB'],
    ['a SelectorError', thrown(() => parseSelector('heap{job')), 400, 'bad_data', 'after label name "job" at position 8'],
    ['a ZodError', thrown(() => z.object({ limit: z.number() }).parse({ limit: 'x' })), 400, 'bad_data', 'limit: '],
    ['a ProfileError', new ProfileError('not_pprof', 'body is not a pprof profile'), 400, 'bad_data', 'body is not a pprof profile'],
    ['a too-large ProfileError', new ProfileError('too_large', 'profile is over 64 MiB'), 413, 'bad_data', 'profile is over 64 MiB'],
    ['an AbortSignal timeout', new DOMException('signal timed out', 'TimeoutError'), 503, 'timeout', 'the query timed out'],
    ['a Postgres statement timeout', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }), 503, 'timeout', 'narrow the time range'],
  ])('%s', (_, err, status, type, message) => {
    const response = errorResponse(err, noLog);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ status: 'error', errorType: type });
    expect((response.body as { error: string }).error).toContain(message);
  });

  it.each<[string, unknown]>([
    ['a database error', Object.assign(new Error('relation "samples_2026_11_25" does not exist'), { code: '42P01' })],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'rows')")],
    ['a thrown string', 'password=hunter2'],
  ])('%s becomes internal, logged with a reference and never returned', (_, err) => {
    const logged: [string, unknown][] = [];
    const response = errorResponse(err, (message, error) => logged.push([message, error]));
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ status: 'error', errorType: 'internal' });
    const text = JSON.stringify(response.body);
    expect(text).not.toMatch(/samples_2026|rows|hunter2/);
    const reference = /reference (\w{8})/.exec(text)?.[1];
    expect(logged).toEqual([[`internal error ${reference}`, err]]);
  });
});

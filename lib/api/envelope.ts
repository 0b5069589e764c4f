/**
 * The one response envelope of the HTTP API, Prometheus' shape: `{status: "success", data, warnings?}`
 * or `{status: "error", errorType, error}`. Framework-free: handlers turn `{status, body}` into a Response.
 */
import { ZodError } from 'zod';
import { StorageInputError } from '../db/errors';
import { ProfileError } from '../pprof/errors';
import { SelectorError } from '../selector/errors';
import { ApiError, type ApiErrorType, describeZodError } from './errors';

/** The body of a successful response; `warnings` is left out when there are none, as Prometheus does. */
export interface SuccessBody<T> {
  readonly status: 'success';
  readonly data: T;
  readonly warnings?: readonly string[];
}

/** The body of a failed response. */
export interface ErrorBody {
  readonly status: 'error';
  readonly errorType: ApiErrorType;
  readonly error: string;
}

/** An HTTP status and the JSON body to send with it. */
export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: SuccessBody<T> | ErrorBody;
}

/** Where internal errors are reported; their details never reach the response. */
export type ErrorLog = (message: string, error: unknown) => void;

const POSTGRES_QUERY_CANCELED = '57014';

/** A 200 response carrying `data` and any warnings (partial results, dropped samples…). */
export function success<T>(data: T, warnings: readonly string[] = []): ApiResponse<T> {
  return { status: 200, body: warnings.length > 0 ? { status: 'success', data, warnings } : { status: 'success', data } };
}

/**
 * The response for anything a handler throws. Errors written for the user (ApiError, SelectorError,
 * ZodError, ProfileError, StorageInputError) keep their message; timeouts become `timeout`; anything
 * else is `internal` with a reference to find the logged detail, so database errors and stack traces
 * never leak.
 */
export function errorResponse(err: unknown, log: ErrorLog = console.error): ApiResponse<never> {
  const known = asApiError(err);
  if (known) return { status: known.status, body: { status: 'error', errorType: known.type, error: known.message } };
  const reference = crypto.randomUUID().slice(0, 8);
  log(`internal error ${reference}`, err);
  return {
    status: 500,
    body: { status: 'error', errorType: 'internal', error: `internal server error (reference ${reference} in the server log)` },
  };
}

function asApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof SelectorError) return new ApiError('bad_data', err.message);
  if (err instanceof ZodError) return new ApiError('bad_data', describeZodError(err));
  if (err instanceof ProfileError) {
    return err.code === 'too_large' ? ApiError.tooLarge(err.message) : new ApiError('bad_data', err.message);
  }
  if (err instanceof StorageInputError) {
    return err.code === 'profile_too_large' ? ApiError.tooLarge(err.message) : new ApiError('bad_data', err.message);
  }
  if (isTimeout(err)) return new ApiError('timeout', 'the query timed out: narrow the time range or the selector and try again');
  return undefined;
}

// AbortSignal.timeout() rejects with a TimeoutError; Postgres cancels a query over statement_timeout with 57014.
function isTimeout(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'TimeoutError' || (err as { code?: unknown }).code === POSTGRES_QUERY_CANCELED;
}

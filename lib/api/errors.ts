/**
 * The closed set of API error types, as in Prometheus' `web/api/v1` `respondError`, each with its HTTP
 * status. Clients switch on the type; the status is for HTTP machinery (proxies, retries, logs).
 */
import type { ZodError } from 'zod';

/** The kinds of failure an API response can report. */
export type ApiErrorType = 'bad_data' | 'execution' | 'timeout' | 'not_found' | 'internal';

/** The HTTP status of each error type. */
export const ERROR_STATUS: Readonly<Record<ApiErrorType, number>> = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  not_found: 404,
  internal: 500,
};

/**
 * A body over the size limit stays `bad_data` (the request is at fault, and clients need no new type to
 * handle it) but is answered with 413, so proxies and retry logic see the precise HTTP meaning.
 */
export const PAYLOAD_TOO_LARGE = 413;

/** An error whose message is written for the API user and may be returned to them as is. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;

  constructor(
    readonly type: ApiErrorType,
    message: string,
    status?: typeof PAYLOAD_TOO_LARGE,
  ) {
    super(message);
    this.status = status ?? ERROR_STATUS[type];
  }

  /** A `bad_data` error for a request body over the size limit, answered with 413. */
  static tooLarge(message: string): ApiError {
    return new ApiError('bad_data', message, PAYLOAD_TOO_LARGE);
  }
}

/**
 * One line naming every problem zod found, each prefixed by where it is: `from: not a time: "x"; …`.
 * Array positions count from 1, as a person reads them: `match[] #2: …`.
 */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path
        .map((part, i) => (typeof part === 'number' ? ` #${part + 1}` : `${i > 0 ? '.' : ''}${String(part)}`))
        .join('');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

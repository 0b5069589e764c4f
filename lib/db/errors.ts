import { DrizzleQueryError } from 'drizzle-orm/errors';

/**
 * The two ways storage refuses work. A StorageInputError is the caller's fault and will fail again
 * unchanged (bad labels, a blob that is not pprof, a bad regex); its `code` lets the API map it to a
 * 400. A RetryableDbError means the database went away or asked us to try again: the data was not
 * written, and the same call may succeed later (the worker buffers and retries on it).
 */
export type StorageInputCode =
  | 'invalid_label_name'
  | 'reserved_label_name'
  | 'invalid_label_value'
  | 'empty_labels'
  | 'missing_profile_type'
  | 'invalid_timestamp'
  | 'invalid_profile'
  | 'profile_too_large'
  | 'invalid_matcher'
  | 'invalid_query';

/** Bad input to a storage call; the message names what is wrong and where. */
export class StorageInputError extends Error {
  override readonly name = 'StorageInputError';
  constructor(
    readonly code: StorageInputCode,
    message: string,
  ) {
    super(message);
  }
}

/** The database is unreachable or asked for a retry; nothing of the failed call was committed. */
export class RetryableDbError extends Error {
  override readonly name = 'RetryableDbError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

// postgres.js reports lost or refused connections with these codes instead of a SQLSTATE.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

// SQLSTATEs after which the same statement can succeed: class 08 (connection exception), server
// shutdown or start-up (57P01-57P03), too many connections, serialization failure and deadlock.
const RETRYABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

/** True when `err` (or an error in its `cause` chain) means "try again later". */
export function isRetryable(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof RetryableDbError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (CONNECTION_CODES.has(code) || RETRYABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  }
  return false;
}

/**
 * Runs a database call, turning connection loss into a RetryableDbError. Other errors pass through,
 * unwrapped from drizzle's DrizzleQueryError, whose message would carry every parameter (whole blobs).
 */
export async function withRetryableErrors<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof RetryableDbError) throw err;
    if (isRetryable(err)) {
      throw new RetryableDbError(`${what} failed, the database is unavailable: ${rootMessage(err)}`, { cause: err });
    }
    throw err instanceof DrizzleQueryError && err.cause instanceof Error ? err.cause : err;
  }
}

function rootMessage(err: unknown): string {
  let e = err as Error;
  while (e.cause instanceof Error) e = e.cause;
  return e.message;
}

/** True when `err` is a StorageInputError, optionally of one code. */
export function isStorageInputError(err: unknown, code?: StorageInputCode): err is StorageInputError {
  return err instanceof StorageInputError && (code === undefined || err.code === code);
}

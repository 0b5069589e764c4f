import { isProfileError } from '../pprof/errors';

/**
 * Why a scrape failed, a closed set (Prometheus reports the same few: timeout, status, body size).
 * Callers and the targets page switch on `reason`; `message` says what happened in words.
 */
export type ScrapeErrorReason =
  | 'timeout'
  | 'connection'
  | 'http_status'
  | 'too_large'
  | 'empty'
  | 'not_pprof'
  | 'invalid_profile'
  | 'sample_types'
  | 'storage';

/** A failed scrape, recorded in the target's health. Never thrown out of a loop. */
export class ScrapeError extends Error {
  override readonly name = 'ScrapeError';
  constructor(
    readonly reason: ScrapeErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** Maps a decode failure of lib/pprof onto a scrape reason, keeping lib/pprof's message. */
export function scrapeErrorFromDecode(err: unknown): ScrapeError {
  if (!isProfileError(err)) return new ScrapeError('invalid_profile', `the body could not be decoded: ${(err as Error).message}`);
  switch (err.code) {
    case 'empty':
      return new ScrapeError('empty', `the target returned an empty body: ${err.message}`);
    case 'too_large':
      return new ScrapeError('too_large', err.message);
    case 'not_pprof':
    case 'bad_gzip':
    case 'legacy_format':
      return new ScrapeError('not_pprof', `the body is not a pprof profile: ${err.message}`);
    default:
      return new ScrapeError('invalid_profile', `the body is a broken pprof profile: ${err.message}`);
  }
}

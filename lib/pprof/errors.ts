/**
 * Every way a pprof input can be refused. Callers switch on `code`; `message` is written for the person
 * who sent the bytes (a scrape target's owner, an API user) and names what is wrong and where.
 */
export type ProfileErrorCode =
  | 'empty'
  | 'legacy_format'
  | 'not_pprof'
  | 'truncated'
  | 'bad_gzip'
  | 'too_large'
  | 'invalid_reference'
  | 'invalid_value'
  | 'incompatible';

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  constructor(
    readonly code: ProfileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** True when `err` is a ProfileError, optionally of one code. */
export function isProfileError(err: unknown, code?: ProfileErrorCode): err is ProfileError {
  return err instanceof ProfileError && (code === undefined || err.code === code);
}

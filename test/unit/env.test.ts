import { describe, expect, it } from 'vitest';
import { readEnv } from '../../lib/config/env';

describe('readEnv', () => {
  it('defaults everything, using the embedded database', () => {
    expect(readEnv({})).toMatchObject({
      databaseUrl: undefined,
      dataDir: './data',
      dbPort: 0,
      retentionMs: 15 * 86_400_000,
      maxProfileBytes: 256 * 1024 * 1024,
      port: 3000,
      configPath: undefined,
    });
  });

  it('reads every variable', () => {
    expect(
      readEnv({
        DATABASE_URL: 'postgres://profd:secret@db.internal:5432/profd',
        PROFD_DATA_DIR: '/var/lib/profd',
        PROFD_DB_PORT: '5433',
        PROFD_RETENTION: '36h',
        PROFD_MAX_PROFILE_BYTES: '1048576',
        PORT: '8080',
        PROFD_CONFIG: 'profd.yml',
      }),
    ).toMatchObject({
      databaseUrl: 'postgres://profd:secret@db.internal:5432/profd',
      dataDir: '/var/lib/profd',
      dbPort: 5433,
      retentionMs: 36 * 3_600_000,
      maxProfileBytes: 1_048_576,
      port: 8080,
      configPath: 'profd.yml',
    });
  });

  it('treats empty variables as unset', () => {
    expect(readEnv({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 3000 });
  });

  it.each([
    ['DATABASE_URL', 'mysql://localhost/profd', /DATABASE_URL="mysql:\/\/localhost\/profd": must be a postgres:\/\/ or postgresql:\/\/ URL/],
    ['PROFD_RETENTION', '2 weeks', /PROFD_RETENTION="2 weeks": not a valid duration/],
    ['PROFD_RETENTION', '0', /PROFD_RETENTION="0": must be longer than 0/],
    ['PROFD_MAX_PROFILE_BYTES', '10MB', /PROFD_MAX_PROFILE_BYTES="10MB": must be a whole number/],
    ['PORT', '70000', /PORT="70000": must be from 1 to 65535/],
    ['PROFD_DB_PORT', '-1', /PROFD_DB_PORT="-1": must be a whole number from 0 to 65535/],
  ])('refuses %s=%s, saying why', (name, value, message) => {
    expect(() => readEnv({ [name]: value })).toThrow(message);
  });

  it('lists every bad variable in one message', () => {
    expect(() => readEnv({ PORT: 'web', PROFD_RETENTION: 'forever', DATABASE_URL: 'localhost' })).toThrow(
      /invalid environment:\n {2}DATABASE_URL=.*\n {2}PROFD_RETENTION=.*\n {2}PORT=/,
    );
  });
});

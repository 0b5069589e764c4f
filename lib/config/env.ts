import { z } from 'zod';
import { DEFAULT_MAX_PROFILE_BYTES } from '../pprof';
import { parseDuration } from '../time/duration';
import { WORKER_PPROF_PORT } from './default-config';

/** profd's settings from the environment, validated and defaulted. */
export interface Env {
  /** A Postgres server to use; unset means the embedded PGlite server. */
  readonly databaseUrl: string | undefined;
  /** Where the embedded database keeps its files. */
  readonly dataDir: string;
  /** Loopback port of the embedded database; 0 picks a free one. */
  readonly dbPort: number;
  /** How long profiles are kept, in milliseconds. */
  readonly retentionMs: number;
  /** Largest profile accepted, compressed or not, in bytes. */
  readonly maxProfileBytes: number;
  /** The web app's HTTP port. */
  readonly port: number;
  /** The scrape configuration file, when given. */
  readonly configPath: string | undefined;
  /** Most profiles one API merge folds together; more are left out with a warning. */
  readonly maxMergeProfiles: number;
  /** Most series one API query returns or reads. */
  readonly maxQuerySeries: number;
  /** Widest time range one API query may read, in milliseconds. */
  readonly maxQueryRangeMs: number;
  /** Wall time after which an API merge stops and returns what it merged so far, in milliseconds. */
  readonly queryTimeoutMs: number;
  /** Where the worker serves /metrics, /-/ready, /-/reload and its pprof endpoints. */
  readonly workerListen: ListenAddress;
  /** Most scraped profiles the worker holds in memory while the database is unavailable. */
  readonly workerQueueSize: number;
}

/** A TCP address to listen on; an empty host means every interface. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

// An empty variable (FOO= in a shell or compose file) counts as unset.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const integer = (min: number, max: number) =>
  z.string().regex(/^\d+$/, `must be a whole number from ${min} to ${max}`).transform(Number)
    .pipe(z.number().min(min, `must be from ${min} to ${max}`).max(max, `must be from ${min} to ${max}`));

const duration = z.string().transform((text, ctx) => {
  try {
    const ms = parseDuration(text);
    if (ms > 0) return ms;
    ctx.addIssue({ code: 'custom', message: 'must be longer than 0' });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
  return z.NEVER;
});

const postgresUrl = z.string().refine((v) => /^postgres(ql)?:\/\/[^/]/.test(v) && URL.canParse(v), {
  message: 'must be a postgres:// or postgresql:// URL, e.g. postgres://user:password@host:5432/profd',
});

const listenAddress = z.string().transform((text, ctx) => {
  try {
    return parseListenAddress(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const EnvSchema = z.object({
  DATABASE_URL: optional(postgresUrl),
  PROFD_DATA_DIR: optional(z.string()).default('./data'),
  PROFD_DB_PORT: optional(integer(0, 65535)).default(0),
  PROFD_RETENTION: optional(duration).default(15 * 24 * 3600_000),
  PROFD_MAX_PROFILE_BYTES: optional(integer(1, Number.MAX_SAFE_INTEGER)).default(DEFAULT_MAX_PROFILE_BYTES),
  PORT: optional(integer(1, 65535)).default(3000),
  PROFD_CONFIG: optional(z.string()),
  PROFD_MAX_MERGE_PROFILES: optional(integer(1, 1_000_000)).default(10_000),
  PROFD_MAX_QUERY_SERIES: optional(integer(1, 10_000)).default(1_000),
  PROFD_MAX_QUERY_RANGE: optional(duration).default(31 * 24 * 3600_000),
  PROFD_QUERY_TIMEOUT: optional(duration).default(30_000),
  PROFD_WORKER_LISTEN: optional(listenAddress).default({ host: '127.0.0.1', port: WORKER_PPROF_PORT }),
  PROFD_WORKER_QUEUE_SIZE: optional(integer(1, 1_000_000)).default(5_000),
});

/** Parses `host:port` (`127.0.0.1:9101`, `[::1]:9101`, `:9101` for every interface; port 0 picks a free one). */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new Error(`must be host:port, e.g. 127.0.0.1:${WORKER_PPROF_PORT} or :${WORKER_PPROF_PORT} for every interface`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/**
 * Reads profd's environment variables, refusing bad ones with one error that lists every problem, so
 * a user fixes them all in one go rather than one restart at a time.
 */
export function readEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `  ${name}=${JSON.stringify(source[name] ?? '')}: ${issue.message}`;
    });
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.PROFD_DATA_DIR,
    dbPort: e.PROFD_DB_PORT,
    retentionMs: e.PROFD_RETENTION,
    maxProfileBytes: e.PROFD_MAX_PROFILE_BYTES,
    port: e.PORT,
    configPath: e.PROFD_CONFIG,
    maxMergeProfiles: e.PROFD_MAX_MERGE_PROFILES,
    maxQuerySeries: e.PROFD_MAX_QUERY_SERIES,
    maxQueryRangeMs: e.PROFD_MAX_QUERY_RANGE,
    queryTimeoutMs: e.PROFD_QUERY_TIMEOUT,
    workerListen: e.PROFD_WORKER_LISTEN,
    workerQueueSize: e.PROFD_WORKER_QUEUE_SIZE,
  };
}

let cached: Env | undefined;

/** The process environment, read and validated once on first use. */
export function env(): Env {
  cached ??= readEnv();
  return cached;
}

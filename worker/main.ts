/**
 * `npm run worker`: the profd worker process. Reads the environment and flags, starts the Worker
 * (listener, config, database, queue, scrape pipeline), reloads on SIGHUP, and on SIGTERM or SIGINT
 * stops scraping, flushes the queue and exits within 10 seconds.
 */
import { readEnv, type Env } from '../lib/config/env';
import { startHeapSampling } from '../lib/selfprofile/profiler';
import { parseWorkerFlags, USAGE, type WorkerFlags } from './flags';
import { createLogger } from './log';
import { Worker } from './worker';

// Supervisors (npm start, systemd, Kubernetes) kill after 10 s; leave room to exit on our own.
const SHUTDOWN_BUDGET_MS = 9_000;

const logger = createLogger();
const { env, flags } = settings();
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!env.databaseUrl) {
  fail('DATABASE_URL is not set: the worker writes to a Postgres server. Run `npm start` to get the embedded database with it, or set DATABASE_URL=postgres://user:password@host:5432/profd');
}

// Sampling from the start makes the worker's own heap profile cover its whole life.
startHeapSampling();
const startup = new AbortController();
const worker = new Worker({ env: { ...env, databaseUrl: env.databaseUrl }, flags, logger, signal: startup.signal });
let stopping = false;

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));
process.on('SIGHUP', () => {
  void worker.reload().then((result) => result.ok && logger.info('config reloaded on SIGHUP', { result: result.message }));
});

try {
  await worker.start();
  logger.info('ready', { address: worker.address });
} catch (err) {
  if (!stopping) fail(`cannot start: ${(err as Error).message}`);
}

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down: stopping scrapes and flushing queued profiles', { signal });
  startup.abort();
  const deadlineMs = Date.now() + SHUTDOWN_BUDGET_MS;
  setTimeout(() => {
    logger.error('shutdown took too long; exiting now');
    process.exit(1);
  }, SHUTDOWN_BUDGET_MS + 500).unref();
  const lost = await worker.stop(deadlineMs);
  logger.info('stopped', { profiles_lost: lost });
  process.exit(0);
}

function settings(): { env: Env; flags: WorkerFlags } {
  try {
    return { flags: parseWorkerFlags(process.argv.slice(2)), env: readEnv() };
  } catch (err) {
    return fail((err as Error).message);
  }
}

function fail(message: string): never {
  process.stderr.write(`profd worker: ${message}\n`);
  process.exit(1);
}

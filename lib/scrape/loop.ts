import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { isGzip } from '../pprof/container';
import { decodeProfile } from '../pprof/decode';
import { encodeProfile } from '../pprof/encode';
import { summarizeProfile, summaryOf, type ProfileSummary } from '../pprof/summary';
import { CpuTurns } from './cpu-turns';
import { ScrapeError, scrapeErrorFromDecode } from './errors';
import { fetchProfile, type FetchedProfile } from './fetch-profile';
import type { ScrapeReport, TargetHealthRegistry } from './health';
import { keepSampleTypes } from './keep-sample-types';
import type { ProfileSink } from './sink';
import { scrapeOffsetMs, type ScrapeTarget } from './target';

const gzipAsync = promisify(gzip);
// One per process, as the event loop is. 32 waiting bodies keep the CPU busy between arrivals.
const cpuTurns = new CpuTurns(32);

/** Scraped bodies waiting for their turn to be decoded: above a handful, scraping outruns the CPU. */
export function decodeBacklog(): number {
  return cpuTurns.length;
}

/** What a loop needs from outside. */
export interface ScrapeLoopDeps {
  readonly sink: ProfileSink;
  readonly health: TargetHealthRegistry;
  readonly dispatcher?: Dispatcher;
}

/**
 * One target's loop (Prometheus' scrapeLoop.run): wait the target's hash-based offset, then scrape
 * every interval until `signal` aborts. A scrape that overruns the interval skips the ticks it missed
 * rather than bunching up. Every scrape is recorded in the health registry; nothing escapes the loop.
 */
export async function runScrapeLoop(target: ScrapeTarget, deps: ScrapeLoopDeps, signal: AbortSignal): Promise<void> {
  if (!(await pause(scrapeOffsetMs(target.hash, target.intervalMs, Date.now()), signal))) return;
  let tick = Date.now();
  while (!signal.aborted) {
    const report = await scrapeOnce(target, deps, signal);
    if (signal.aborted) return;
    deps.health.record(target.hash, report);
    const now = Date.now();
    tick += target.intervalMs * Math.max(1, Math.ceil((now - tick) / target.intervalMs));
    if (!(await pause(tick - now, signal))) return;
  }
}

/**
 * Scrapes a target once: fetch under the timeout and size limit, check and summarise the profile (a
 * body that is not pprof is an error and is not stored), apply keep_sample_type, and hand the profile
 * to the sink. Never throws.
 */
export async function scrapeOnce(target: ScrapeTarget, deps: ScrapeLoopDeps, signal: AbortSignal): Promise<ScrapeReport> {
  // Cancelled while waiting: the fetch below then fails at once, naming the cancellation.
  await cpuTurns.admit(signal).catch(() => {});
  const startedMs = Date.now();
  let bytes = 0;
  try {
    const fetched = await fetchProfile(target.url, { timeoutMs: target.timeoutMs, maxBytes: target.maxBodyBytes, signal, dispatcher: deps.dispatcher });
    bytes = fetched.bytes.length;
    const keep = target.keepSampleTypes;
    let stored: { blob: Uint8Array; summary: ProfileSummary };
    if (keep.length > 0) {
      const profile = await cpuTurns.run(() => keepSampleTypes(checked(fetched, decodeProfile), keep), signal);
      stored = { blob: await cpuTurns.run(() => encodeProfile(profile), signal), summary: summaryOf(profile) };
    } else {
      // Stored as it came: only the summary is needed, and reading it checks the profile as decoding would.
      const summary = await cpuTurns.run(() => checked(fetched, summarizeProfile), signal);
      stored = { blob: await gzipped(fetched.bytes), summary };
    }
    await write(deps.sink, { labels: target.labels, timestampMs: startedMs, ...stored });
    return { startedMs, durationMs: Date.now() - startedMs, bytes, error: null };
  } catch (err) {
    const error = err instanceof ScrapeError ? err : new ScrapeError('invalid_profile', (err as Error).message);
    return { startedMs, durationMs: Date.now() - startedMs, bytes, error: { reason: error.reason, message: error.message } };
  }
}

/** The body as stored: gzip kept byte for byte, raw protobuf compressed off the event loop. */
async function gzipped(bytes: Uint8Array): Promise<Uint8Array> {
  return isGzip(bytes) ? bytes : new Uint8Array(await gzipAsync(bytes));
}

/** `read(bytes)`, a failure turned into the ScrapeError that names it. */
function checked<T>(fetched: FetchedProfile, read: (bytes: Uint8Array) => T): T {
  try {
    return read(fetched.bytes);
  } catch (err) {
    const error = scrapeErrorFromDecode(err);
    if (error.reason === 'not_pprof' && /^text\//.test(fetched.contentType)) {
      throw new ScrapeError('not_pprof', `the target sent ${fetched.contentType.split(';')[0]}, not a pprof profile (is the path right?): ${error.message}`);
    }
    throw error;
  }
}

async function write(sink: ProfileSink, item: Parameters<ProfileSink['write']>[0]): Promise<void> {
  try {
    await sink.write(item);
  } catch (err) {
    throw new ScrapeError('storage', `the profile was scraped but could not be stored: ${(err as Error).message}`);
  }
}

/** Waits `ms`; false when `signal` aborted first. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

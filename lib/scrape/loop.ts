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
 * every interval until stopped. A scrape that overruns the interval skips the ticks it missed rather
 * than bunching up. Every scrape is recorded in the health registry; nothing escapes the loop.
 *
 * Between scrapes a loop is this object and one timer, and a scrape in flight has the only
 * AbortController. A worker runs a loop per target and profile type, 5,000 in bench/worker.bench.ts,
 * where an async function parked in an abortable `timers/promises` sleep under a per-loop
 * AbortController held about 4 KB per loop (heap snapshots), 20 MB in all, with a bigger heap to
 * match before each full garbage collection.
 */
export class ScrapeLoop {
  private timer: NodeJS.Timeout | undefined;
  private tickMs = 0;
  private scrape: AbortController | null = null;
  private lastScrape: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly target: ScrapeTarget,
    private readonly deps: ScrapeLoopDeps,
  ) {
    this.timer = setTimeout(ScrapeLoop.due, scrapeOffsetMs(target.hash, target.intervalMs, Date.now()), this);
  }

  // The timer's callback, with the loop as its argument: no closure per scheduled tick.
  private static due(loop: ScrapeLoop): void {
    loop.lastScrape = loop.scrapeAndReschedule();
  }

  /** Stops the loop, cancelling a scrape in flight; resolves once that scrape has ended. */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.scrape?.abort();
    return this.lastScrape;
  }

  private async scrapeAndReschedule(): Promise<void> {
    const { target, deps } = this;
    if (this.tickMs === 0) this.tickMs = Date.now();
    this.scrape = new AbortController();
    const report = await scrapeOnce(target, deps, this.scrape.signal);
    this.scrape = null;
    if (this.stopped) return;
    deps.health.record(target.hash, report);
    const end = Date.now();
    this.tickMs += target.intervalMs * Math.max(1, Math.ceil((end - this.tickMs) / target.intervalMs));
    this.timer = setTimeout(ScrapeLoop.due, this.tickMs - end, this);
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

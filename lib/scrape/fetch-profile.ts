import { Agent, request, type Dispatcher } from 'undici';
import { formatByteSize } from '../config/units';
import { ScrapeError } from './errors';

/** How one profile is fetched. */
export interface FetchProfileOptions {
  readonly timeoutMs: number;
  /** The body is refused as soon as it grows past this many bytes; never more is buffered. */
  readonly maxBytes: number;
  /** Aborts the fetch when the loop stops. */
  readonly signal?: AbortSignal;
  /** The connection pool; the manager passes its own so it can close it. */
  readonly dispatcher?: Dispatcher;
}

/** A fetched body and what the server said it is. */
export interface FetchedProfile {
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

let defaultAgent: Agent | null = null;

/**
 * A keep-alive connection pool for scrapes. Connections per origin are unlimited on purpose: a hanging
 * profile type must never queue the other types of the same target behind it.
 */
export function createScrapeAgent(): Agent {
  return new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 10 * 60_000 });
}

/**
 * GETs a profile endpoint under a timeout and a size limit enforced while streaming, and returns the
 * raw bytes (gzip or not; decoding is the caller's job). Every failure is a ScrapeError with a reason.
 */
export async function fetchProfile(url: string, options: FetchProfileOptions): Promise<FetchedProfile> {
  const deadline = new Deadline(options.timeoutMs, options.signal);
  const { signal } = deadline;
  const failed = (err: unknown, during: string) => networkError(err, `${during} ${url}`, options, deadline);
  try {
    const response = await request(url, {
      signal,
      dispatcher: options.dispatcher ?? (defaultAgent ??= createScrapeAgent()),
      headers: { accept: 'application/octet-stream, */*;q=0.5', 'user-agent': 'profd-scraper' },
    }).catch((err: unknown) => {
      throw failed(err, 'requesting');
    });
    await refuseBadResponse(url, response, options.maxBytes);
    const bytes = await readBody(response.body, options.maxBytes, signal).catch((err: unknown) => {
      throw failed(err, 'reading the body of');
    });
    if (bytes === null) throw new ScrapeError('too_large', `the body from ${url} grew past the body_size_limit of ${formatByteSize(options.maxBytes)}; stopped reading`);
    return { bytes, contentType: String(response.headers['content-type'] ?? '') };
  } finally {
    deadline.clear();
  }
}

/**
 * The fetch's own signal: aborted by its timeout or by the caller's signal, and cleared as soon as the
 * fetch ends. Not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: Node keeps the timeout's
 * timer for its whole delay after the fetch, and each `any` registers with the caller's signal, so at
 * 333 scrapes/s (bench/worker.bench.ts) some 5,000 timers and 12,000 weak references were pending.
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private expired = false;
  private readonly onCancel = () => this.controller.abort(this.caller?.reason);

  constructor(timeoutMs: number, private readonly caller: AbortSignal | undefined) {
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs).unref();
    if (caller?.aborted) this.onCancel();
    else caller?.addEventListener('abort', this.onCancel, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True when the timeout, not the caller, ended the fetch. */
  get timedOut(): boolean {
    return this.expired;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCancel);
  }
}

/** Throws for an error status (quoting the start of the page) or an announced body over the limit. */
async function refuseBadResponse(url: string, response: Dispatcher.ResponseData, maxBytes: number): Promise<void> {
  const { statusCode, headers, body } = response;
  if (statusCode < 200 || statusCode > 299) {
    const text = (await readHead(body, 512)).replace(/\s+/g, ' ').trim();
    throw new ScrapeError('http_status', `${url} returned HTTP ${statusCode}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
  const announced = Number(headers['content-length']);
  if (announced > maxBytes) {
    discard(body);
    throw new ScrapeError('too_large', `${url} announced ${announced} bytes, over the body_size_limit of ${formatByteSize(maxBytes)}`);
  }
}

/** Names a network failure: the timeout firing, the loop stopping, or the connection itself. */
function networkError(err: unknown, what: string, options: FetchProfileOptions, deadline: Deadline): ScrapeError {
  if (deadline.timedOut) return new ScrapeError('timeout', `no complete answer within the ${options.timeoutMs} ms timeout while ${what}`);
  if (options.signal?.aborted) return new ScrapeError('connection', `${what} was cancelled: the target is no longer scraped`);
  return new ScrapeError('connection', `${what} failed: ${describe(err)}`);
}

/** Reads at most `limit` bytes; returns null (and drops the connection) when the body is longer. */
async function readBody(body: Dispatcher.ResponseData['body'], limit: number, signal: AbortSignal): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      discard(body);
      return null;
    }
    chunks.push(chunk);
    if (signal.aborted) throw signal.reason;
  }
  return Buffer.concat(chunks, size);
}

/** The start of an error page, to quote in the message (`pprof: mutex profiling is not enabled`). */
async function readHead(body: Dispatcher.ResponseData['body'], bytes: number): Promise<string> {
  let head = '';
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      head += chunk.toString('utf8');
      if (head.length >= bytes) break;
    }
  } catch {
    // The status already says the scrape failed; a body that breaks off adds nothing to that.
  } finally {
    discard(body);
  }
  return head.slice(0, bytes);
}

/** Drops a body we will not read; undici reports a destroyed unread body as an error nobody listens to. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

function describe(err: unknown): string {
  const e = err as Error & { code?: string; cause?: Error & { code?: string } };
  const cause = e.cause && e.cause !== e ? ` (${e.cause.message})` : '';
  return `${e.message}${e.code && !e.message.includes(e.code) ? ` [${e.code}]` : ''}${cause}`;
}

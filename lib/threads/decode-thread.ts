import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { columnsFromMessage, columnsMessage, type ColumnsMessage } from '../pprof/columns-transfer';
import { DEFAULT_MAX_PROFILE_BYTES } from '../pprof/container';
import { decodeColumns } from '../pprof/decode';
import { ProfileError, type ProfileErrorCode } from '../pprof/errors';
import type { Profile } from '../pprof/model';
import { columnarProfile } from '../pprof/profile-columns';
import { threadBundle } from './thread-bundle';

/** A profile to decode, its bytes moved to the thread. */
export interface DecodeRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly maxBytes: number;
}

/** The thread's answer: the decoded columns, or the ProfileError that refused them, or a failure. */
export type DecodeReply =
  | { readonly id: number; readonly columns: ColumnsMessage }
  | { readonly id: number; readonly refused: { readonly code: ProfileErrorCode; readonly message: string } }
  | { readonly id: number; readonly failed: string };

interface Pending {
  resolve(profile: Profile): void;
  reject(error: Error): void;
}

/**
 * Decodes profiles on a worker thread, so that merging many spends this thread adding them and the
 * other core gunzipping and decoding the next, about a third of a merge's work. Merging the 60 large
 * synthetic profiles of bench/pprof.bench.ts so took 0.70-0.82× the time of decoding each on this
 * thread, and 0.68-0.74× that of the merge before (inflating ahead on libuv's pool, each profile then
 * read and added on this thread), with the same output bytes (medians of 9, the ways alternating in
 * one process, five runs). A decoded profile comes back as the columns decodeProfile would
 * have returned, its arrays moved rather than copied.
 *
 * The thread starts on first use and does not keep the process alive while idle. Until it runs (about
 * 50 ms here), profiles are decoded on the calling thread, so a merge's first ones do not wait for it.
 * A process that merges once gains less, both threads then compiling code and faulting in fresh
 * memory: a cold process merging the 60 profiles from files took 1.70-2.10 s (median 1.87) where
 * one that never used its thread took 1.90-2.38 (median 2.09), at a peak RSS 40 MB higher.
 *
 * Should the thread die, the requests it held are refused and the next starts a new one. Should it not
 * start at all (its bundle cannot be built), profiles are decoded on this thread, with a process
 * warning saying why.
 */
export class DecodeThread {
  private running: Promise<RunningThread> | null = null;
  private unavailable = false;
  private sentToThread = 0;

  /** `bundle` gives the path of the thread's code; a failure there leaves decoding on this thread. */
  constructor(private readonly bundle: () => Promise<string> = decodeThreadBundle) {}

  /** Decodes `bytes` as decodeProfile(bytes, { maxBytes }) would, refusing them with the same ProfileError. */
  async decode(bytes: Uint8Array, maxBytes = DEFAULT_MAX_PROFILE_BYTES): Promise<Profile> {
    const thread = await this.started();
    // The thread's 'online' event only arrives when the event loop turns, which a merge of profiles
    // read without I/O (files read synchronously) never lets it do: each profile would then be decoded
    // here. One turn per profile while the thread starts lets the event in.
    if (thread !== null && !thread.online) await new Promise(setImmediate);
    if (thread === null || !thread.online) return decodeHere(bytes, maxBytes);
    this.sentToThread++;
    return thread.decode(bytes, maxBytes);
  }

  /** Profiles sent to the thread to decode so far; the others were decoded on the calling thread. */
  get decodedOnThread(): number {
    return this.sentToThread;
  }

  /**
   * Starts the thread now rather than at the first decode, resolving once it runs: from then on every
   * profile is decoded there. False when it cannot start, and profiles are decoded on this thread.
   */
  async start(): Promise<boolean> {
    const thread = await this.started();
    if (thread === null) return false;
    if (!thread.online) await once(thread.worker, 'online');
    return true;
  }

  /** Stops the thread; requests it still held are refused. */
  async close(): Promise<void> {
    const running = this.running;
    this.running = null;
    const thread = await running?.catch(() => null);
    await thread?.worker.terminate();
  }

  /** The running thread, started when there is none; null once it could not start. */
  private async started(): Promise<RunningThread | null> {
    if (this.unavailable) return null;
    if (this.running === null) {
      const running: Promise<RunningThread> = this.bundle().then((bundle) => new RunningThread(new Worker(bundle), () => {
        if (this.running === running) this.running = null;
      }));
      this.running = running;
    }
    try {
      return await this.running;
    } catch (err) {
      // Every decode waiting for the start lands here; one warning says it.
      if (this.unavailable) return null;
      this.unavailable = true;
      process.emitWarning(`profd decodes profiles on its main thread: the decoding thread did not start (${err instanceof Error ? err.message : String(err)})`);
      return null;
    }
  }
}

/**
 * Decodes on this thread into objects shaped as the thread's answers are, by passing the columns
 * through the same message: the merge's code, optimised for the first profiles decoded here, was
 * otherwise thrown away by V8 when the thread's began to arrive, and the first of those took a cold
 * process 82–134 ms to add rather than 10–25 (31–64 ms with the same shapes).
 */
function decodeHere(bytes: Uint8Array, maxBytes: number): Profile {
  const { message, transfer } = columnsMessage(decodeColumns(bytes, { maxBytes }));
  // An uncompressed profile's strings lie in the caller's own buffer, which must stay theirs.
  const moved = transfer.filter((buffer) => buffer !== bytes.buffer);
  return profileFromMessage(structuredClone(message, { transfer: moved }));
}

/** The profile whose columns a message carries, whichever thread decoded it. */
function profileFromMessage(message: ColumnsMessage): Profile {
  const { header, columns } = columnsFromMessage(message);
  return columnarProfile(header, columns);
}

/** One worker thread and the requests it holds; it keeps the process alive only while it holds some. */
class RunningThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** False until the thread runs its code; meanwhile profiles are decoded on the calling thread. */
  online = false;

  constructor(readonly worker: Worker, private readonly onStop: () => void) {
    worker.once('online', () => (this.online = true));
    worker.on('message', (reply: DecodeReply) => this.settle(reply));
    worker.on('error', (err) => this.stopped(`the decoding thread failed: ${err.message}`));
    worker.on('exit', (code) => this.stopped(`the decoding thread exited with code ${code}`));
    // After the 'message' listener, which refs the worker again.
    worker.unref();
  }

  decode(bytes: Uint8Array, maxBytes: number): Promise<Profile> {
    const id = this.nextId++;
    // A copy of its own, moved to the thread: `bytes` may be a slice of a larger buffer still in use
    // here. Not `bytes.slice()`, which for a Buffer is a view, not a copy.
    const own = Uint8Array.prototype.slice.call(bytes);
    const decoded = new Promise<Profile>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) this.worker.ref();
    this.worker.postMessage({ id, bytes: own, maxBytes } satisfies DecodeRequest, [own.buffer as ArrayBuffer]);
    return decoded;
  }

  private settle(reply: DecodeReply): void {
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('columns' in reply) pending.resolve(profileFromMessage(reply.columns));
    else if ('refused' in reply) pending.reject(new ProfileError(reply.refused.code, reply.refused.message));
    else pending.reject(new Error(`the decoding thread failed: ${reply.failed}`));
  }

  /** Refuses what the thread held when it stopped; the next request starts another. */
  private stopped(reason: string): void {
    this.onStop();
    this.worker.removeAllListeners();
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
  }
}

/** The decoding thread's code, bundled for plain node (see thread-bundle.ts). */
export function decodeThreadBundle(): Promise<string> {
  return threadBundle('lib/threads/decode-thread-entry.ts');
}

let shared: DecodeThread | null = null;

/** The process's decoding thread, shared by every merge in it. */
export function decodeThread(): DecodeThread {
  return (shared ??= new DecodeThread());
}

/** An item of a stream and its profile, decoding (or refused) on the decoding thread by the time it is read. */
export interface Decoding<T> {
  readonly item: T;
  /** Rejects with the ProfileError decodeProfile would throw. */
  readonly profile: Promise<Profile>;
}

/**
 * Passes a stream of stored profiles through while the decoding thread decodes the next `depth` of
 * them, so a merge spends this thread merging. `depth` bounds the decoded profiles held at once.
 */
export async function* decodeAhead<T>(
  source: AsyncIterable<T> | Iterable<T>,
  bytesOf: (item: T) => Uint8Array,
  maxBytes: number,
  depth = 4,
  thread = decodeThread(),
): AsyncGenerator<Decoding<T>> {
  const ahead: Decoding<T>[] = [];
  for await (const item of source) {
    const profile = thread.decode(bytesOf(item), maxBytes);
    // Marks a refusal as handled here: the caller sees it when it reaches this item, or never if it stops first.
    profile.catch(() => undefined);
    ahead.push({ item, profile });
    if (ahead.length > depth) yield ahead.shift() as Decoding<T>;
  }
  yield* ahead;
}

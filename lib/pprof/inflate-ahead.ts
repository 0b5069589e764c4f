import { unwrapProfileBytesAsync } from './container';

/** An item of a stream and its profile's raw bytes, inflating (or refused) by the time it is read. */
export interface Inflating<T> {
  readonly item: T;
  /** Rejects with the ProfileError `unwrapProfileBytes` would throw. */
  readonly raw: Promise<Uint8Array>;
}

/**
 * Passes a stream of stored profiles through while inflating the next `depth` of them on libuv's
 * thread pool, so a merge spends its own thread merging rather than waiting on gunzip: the 60 medium
 * profiles of bench/pprof.bench.ts inflate in ~42 ms of a ~215 ms merge, which then overlaps with
 * merging. `depth` bounds the inflated profiles held in memory at once.
 */
export async function* inflateAhead<T>(
  source: AsyncIterable<T> | Iterable<T>,
  bytesOf: (item: T) => Uint8Array,
  maxBytes: number,
  depth = 4,
): AsyncGenerator<Inflating<T>> {
  const ahead: Inflating<T>[] = [];
  for await (const item of source) {
    const raw = unwrapProfileBytesAsync(bytesOf(item), maxBytes);
    // Marks a refusal as handled here: the caller sees it when it reaches this item, or never if it stops first.
    raw.catch(() => undefined);
    ahead.push({ item, raw });
    if (ahead.length > depth) yield ahead.shift() as Inflating<T>;
  }
  yield* ahead;
}

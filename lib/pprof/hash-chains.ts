import { grow } from './lists';

/**
 * Numeric hashing for the merge tables and top's edges: entries are hashed to 32-bit numbers and
 * compared field by field on a hit, instead of being keyed by strings. With a string key per stack
 * (pprof's way) merging 60 large profiles took more than twice as long.
 */

/** Mixes one 32-bit word into a running hash (a MurmurHash3 round). */
export function mix(hash: number, word: number): number {
  let k = Math.imul(word | 0, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  const h = hash ^ k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

/**
 * Adds one 32-bit word to a running hash by FxHash's rotate, xor and multiply: a third of a `mix`
 * round, for long keys such as strings. The low bits of the result depend little on the last words,
 * so finish such a hash with `avalanche` before using it.
 */
export function addWord(hash: number, word: number): number {
  return Math.imul(((hash << 5) | (hash >>> 27)) ^ word, 0x9e3779b9);
}

/** MurmurHash3's finaliser: every bit of the result, the low ones that pick a slot too, depends on every bit of `hash`. */
export function avalanche(hash: number): number {
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/**
 * Entry indices chained by 32-bit hash in typed arrays: an open-addressing table from a hash to the
 * newest entry with it, and from each entry a link to the one before. Written by hand because
 * inserting into a growing Map<number, number> was one of the largest costs of merging.
 */
export class HashChains {
  /**
   * Slot `s` is the pair (hash, newest entry + 1) at `slots[2 * s]`, 0 as the second marking a free
   * slot: one array rather than two, so a probe of a table larger than the cache misses once, not twice.
   */
  private slots = new Int32Array(2 * 1024);
  private links = new Int32Array(1024);
  private used = 0;

  /** The newest entry with this hash, or -1. */
  first(hash: number): number {
    return this.slots[2 * this.slot(hash) + 1] - 1;
  }

  /** The entry with the same hash added before `entry`, or -1. */
  next(entry: number): number {
    return this.links[entry];
  }

  /** Records `entry` (entries are numbered 0, 1, 2, …) as the newest with this hash. */
  add(hash: number, entry: number): void {
    if (entry >= this.links.length) this.links = grow(this.links, entry + 1);
    const at = 2 * this.slot(hash);
    const previous = this.slots[at + 1] - 1;
    this.links[entry] = previous;
    this.slots[at] = hash;
    this.slots[at + 1] = entry + 1;
    if (previous < 0 && ++this.used * 4 > this.slots.length) this.rehash();
  }

  private slot(hash: number): number {
    const { slots } = this;
    const mask = (slots.length >> 1) - 1;
    let slot = hash & mask;
    while (slots[2 * slot + 1] !== 0 && slots[2 * slot] !== hash) slot = (slot + 1) & mask;
    return slot;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 2) {
      if (old[at + 1] === 0) continue;
      const slot = 2 * this.slot(old[at]);
      this.slots[slot] = old[at];
      this.slots[slot + 1] = old[at + 1];
    }
  }
}

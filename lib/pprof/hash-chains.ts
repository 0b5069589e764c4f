import { grow } from './lists';

/**
 * Numeric hashing shared by the merge tables and the call tree: entries are hashed to 32-bit numbers
 * and compared field by field on a hit, instead of being keyed by strings. With a string key per stack
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
 * Entry indices chained by 32-bit hash in typed arrays: an open-addressing table from a hash to the
 * newest entry with it, and from each entry a link to the one before. Written by hand because
 * inserting into a growing Map<number, number> was one of the largest costs of merging.
 */
export class HashChains {
  private hashes = new Int32Array(1024);
  private heads = new Int32Array(1024).fill(-1);
  private links = new Int32Array(1024);
  private used = 0;

  /** The newest entry with this hash, or -1. */
  first(hash: number): number {
    return this.heads[this.slot(hash)];
  }

  /** The entry with the same hash added before `entry`, or -1. */
  next(entry: number): number {
    return this.links[entry];
  }

  /** Records `entry` (entries are numbered 0, 1, 2, …) as the newest with this hash. */
  add(hash: number, entry: number): void {
    if (entry >= this.links.length) this.links = grow(this.links, entry + 1);
    const slot = this.slot(hash);
    this.links[entry] = this.heads[slot];
    this.hashes[slot] = hash;
    this.heads[slot] = entry;
    if (this.links[entry] < 0 && ++this.used * 2 > this.heads.length) this.rehash();
  }

  private slot(hash: number): number {
    const mask = this.heads.length - 1;
    let slot = hash & mask;
    while (this.heads[slot] >= 0 && this.hashes[slot] !== hash) slot = (slot + 1) & mask;
    return slot;
  }

  private rehash(): void {
    const { hashes, heads } = this;
    this.hashes = new Int32Array(heads.length * 2);
    this.heads = new Int32Array(heads.length * 2).fill(-1);
    for (let old = 0; old < heads.length; old++) {
      if (heads[old] < 0) continue;
      const slot = this.slot(hashes[old]);
      this.hashes[slot] = hashes[old];
      this.heads[slot] = heads[old];
    }
  }
}

import type { WireReader } from './wire';

/**
 * A growable list of numbers that is reused from message to message, so repeated fields are read
 * without allocating and then copied once into an array of the exact size.
 */
export class NumberList {
  private values = new Float64Array(64);
  count = 0;

  push(value: number): void {
    if (this.count === this.values.length) this.values = grow(this.values, this.count + 1);
    this.values[this.count++] = value;
  }

  /** Appends the values of a packed repeated varint field (key already read): int64 when `signed`, else uint64. */
  readPacked(r: WireReader, signed: boolean): void {
    const outer = r.enter();
    while (r.pos < r.end) this.push(signed ? r.int() : r.uint());
    r.leave(outer);
  }

  at(i: number): number {
    return this.values[i];
  }

  /**
   * The values as a new array. Integers that fit 32 bits are stored as such, so V8 keeps them as
   * small integers rather than boxing each double read back from the list.
   */
  toArray(): number[] {
    const out = new Array<number>(this.count);
    for (let i = 0; i < this.count; i++) {
      const value = this.values[i];
      out[i] = (value | 0) === value ? value | 0 : value;
    }
    return out;
  }
}

/**
 * Where the messages of one repeated field lie: [start, end) pairs of byte offsets. A growable typed
 * array, because pushing onto a JS array turns slow once it outgrows V8's regular-object size (16k
 * entries): each growth then allocates in large-object space, and a big profile has 100k fields.
 */
export class Ranges {
  private offsets = new Uint32Array(64);
  count = 0;

  /** Notes the length-delimited field whose key the reader just read, and moves past it. */
  add(r: WireReader): void {
    const start = r.pass();
    if (2 * this.count + 2 > this.offsets.length) this.offsets = grow(this.offsets, 2 * this.count + 2);
    this.offsets[2 * this.count] = start;
    this.offsets[2 * this.count + 1] = r.pos;
    this.count++;
  }

  /** Keeps only the last range: a repeated non-repeated message field replaces, as in Go's decoder. */
  keepLast(): void {
    if (this.count > 1) {
      this.offsets.copyWithin(0, 2 * this.count - 2, 2 * this.count);
      this.count = 1;
    }
  }

  /** The ranges with `pairs` as their [start, end) offsets, to read ranges `pairs()` gave another thread. */
  static of(pairs: Uint32Array<ArrayBuffer>): Ranges {
    const ranges = new Ranges();
    ranges.offsets = pairs;
    ranges.count = pairs.length >> 1;
    return ranges;
  }

  /** The [start, end) offsets of every range, in order. */
  pairs(): Uint32Array<ArrayBuffer> {
    return this.offsets.subarray(0, 2 * this.count);
  }

  /** An exact-size copy, to keep after the scan's lists are reused. */
  copy(): Ranges {
    const copy = new Ranges();
    copy.offsets = this.offsets.slice(0, 2 * this.count);
    copy.count = this.count;
    return copy;
  }

  start(i: number): number {
    return this.offsets[2 * i];
  }

  end(i: number): number {
    return this.offsets[2 * i + 1];
  }
}

type NumericArray = Int32Array | Float64Array | Uint8Array | Uint32Array;

/** A copy of `array` at least `needed` long, doubling its length at the least. */
export function grow<T extends NumericArray>(array: T, needed: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** `array` when it is at least `needed` long, else a new, zeroed one that is: for storage reused per profile. */
export function atLeast<T extends NumericArray>(array: T, needed: number): T {
  if (array.length >= needed) return array;
  return new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2));
}

import type { StringTable } from './decode-tables';
import { addWord, avalanche, HashChains } from './hash-chains';
import { grow } from './lists';

/**
 * The merge's strings, each distinct one numbered once. A decoded profile's strings are looked up as
 * strings; an encoded profile's by their UTF-8 bytes first, so the names every profile of a service
 * repeats are matched where they lie, never decoded again. Bytes seen for the first time are decoded
 * and looked up as a string, so both ways number a string alike, invalid UTF-8 included.
 */
export class StringPool {
  /** The strings by number. */
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Each distinct byte string seen, copied into `bytes` at [start, end), and the string it decodes to. */
  private bytes = new Uint8Array(64 * 1024);
  private bytesView: DataView = new DataView(this.bytes.buffer);
  private bytesUsed = 0;
  private start = new Int32Array(1024);
  private end = new Int32Array(1024);
  private id = new Int32Array(1024);
  private byteStrings = 0;
  private readonly chains = new HashChains();
  /** A view of the encoded profile last seen, to read its strings four bytes at a time. */
  private profileBytes: Uint8Array | null = null;
  private profileView: DataView = new DataView(new ArrayBuffer(0));

  /** How many strings are numbered: a merged profile's columns read the pool as their string table. */
  get count(): number {
    return this.values.length;
  }

  /** The string numbered `index`, or undefined when there is none. */
  at(index: number): string | undefined {
    return this.values[index];
  }

  /** The number of `value`, numbering it when new. */
  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) this.ids.set(value, (id = this.values.push(value) - 1));
    return id;
  }

  /** The number of string `index` (in range) of an encoded profile's table, matched by its bytes. */
  internEncoded(table: StringTable, index: number): number {
    const { bytes } = table;
    if (bytes !== this.profileBytes) {
      this.profileBytes = bytes;
      this.profileView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const start = table.byteStart(index);
    const end = table.byteEnd(index);
    const hash = hashBytes(this.profileView, bytes, start, end);
    for (let entry = this.chains.first(hash); entry >= 0; entry = this.chains.next(entry)) {
      if (this.matches(entry, bytes, start, end)) return this.id[entry];
    }
    return this.add(hash, bytes, start, end, this.intern(table.at(index) as string));
  }

  /** Compares four bytes at a time: strings are most of what an encoded profile's merge reads. */
  private matches(entry: number, buf: Uint8Array, start: number, end: number): boolean {
    const offset = this.start[entry] - start;
    if (this.end[entry] - this.start[entry] !== end - start) return false;
    const pool = this.bytesView;
    const view = this.profileView;
    let i = start;
    for (; i + 4 <= end; i += 4) if (pool.getInt32(i + offset, true) !== view.getInt32(i, true)) return false;
    for (; i < end; i++) if (this.bytes[i + offset] !== buf[i]) return false;
    return true;
  }

  private add(hash: number, buf: Uint8Array, start: number, end: number, id: number): number {
    const entry = this.byteStrings++;
    if (this.byteStrings > this.id.length) {
      this.start = grow(this.start, this.byteStrings);
      this.end = grow(this.end, this.byteStrings);
      this.id = grow(this.id, this.byteStrings);
    }
    if (this.bytesUsed + end - start > this.bytes.length) {
      this.bytes = grow(this.bytes, this.bytesUsed + end - start);
      this.bytesView = new DataView(this.bytes.buffer);
    }
    this.bytes.set(buf.subarray(start, end), this.bytesUsed);
    this.start[entry] = this.bytesUsed;
    this.bytesUsed += end - start;
    this.end[entry] = this.bytesUsed;
    this.id[entry] = id;
    this.chains.add(hash, entry);
    return id;
  }
}

/** A 32-bit hash of `buf[start, end)` (`view` is a view of `buf`), read four bytes at a time. */
function hashBytes(view: DataView, buf: Uint8Array, start: number, end: number): number {
  let hash = end - start;
  let i = start;
  for (; i + 4 <= end; i += 4) hash = addWord(hash, view.getInt32(i, true));
  let tail = 0;
  for (let shift = 0; i < end; i++, shift += 8) tail |= buf[i] << shift;
  return avalanche(addWord(hash, tail));
}

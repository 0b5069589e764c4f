import { ProfileError } from './errors';

/** Protobuf wire types; profile.proto uses VARINT and LEN, the others are only ever skipped. */
export const VARINT = 0;
const I64 = 1;
export const LEN = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const I32 = 5;

const TWO_32 = 4294967296;
/** High words below this make a 64-bit value below 2^53, exact as a number. */
const TWO_21 = 2097152;

/**
 * A protobuf wire-format reader over `buf[pos, end)`, allocation-free: nested messages narrow `end`
 * with `enter()` and widen it again with `leave()` instead of creating readers.
 *
 * Hand-written rather than protobufjs' Reader because protobufjs builds a Long object for every int64
 * and a message tree that must then be walked again. Reading varints as plain numbers straight into
 * the model, decodeProfile takes 23 ms on google-pprof__large.cpu where protobufjs took 337 ms to
 * decode and resolve it (best of 15 runs), and it beats protobufjs' decode alone, without resolving,
 * 4–5× (bench/pprof.bench.ts). Varints are numbers on the fast path and bigints only where values
 * past 2^53 occur in real profiles (addresses, timeNanos).
 */
export class WireReader {
  pos: number;
  end: number;
  /** The low and high 32 bits of the last varint read by `readLongBits`. */
  private lo = 0;
  private hi = 0;
  /** Where the last key started, and the key, for `skip`'s messages. */
  private keyAt = 0;
  private lastKey = 0;
  private scanned = false;

  /**
   * The same bytes as a Buffer, whose UTF-8 decoding beats TextDecoder on a string table's many short
   * strings (3.6 against 4.6 ms for the 23k strings of google-pprof__large.cpu).
   */
  private readonly text: Buffer;

  constructor(readonly buf: Uint8Array) {
    this.pos = 0;
    this.end = buf.length;
    this.text = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Reads a field key: `fieldNumber * 8 + wireType`. Refuses field number 0 and wire types 6 and 7. */
  key(): number {
    const at = this.pos;
    // Fields 1–15 of wire types 0–5 take one byte: profile.proto has no others.
    const first = at < this.end ? this.buf[at] : 0;
    if (first >= 8 && first < 0x80 && (first & 7) <= I32) {
      this.pos = at + 1;
      this.keyAt = at;
      this.lastKey = first;
      return first;
    }
    const key = this.uint();
    if (key > 0xffffffff) throw this.malformed(`field number too large at byte ${at}`);
    if (key < 8) throw this.malformed(`field number 0 at byte ${at}`);
    if ((key & 7) > I32) throw this.malformed(`invalid wire type ${key & 7} at byte ${at}`);
    this.keyAt = at;
    this.lastKey = key;
    return key;
  }

  /**
   * Positions the reader on a message the top-level scan found whole: a field overrunning it is then
   * corruption, never truncation.
   */
  message(start: number, end: number): void {
    this.pos = start;
    this.end = end;
    this.scanned = true;
  }

  /** Reads a varint as an unsigned 64-bit number (exact below 2^53, like Long#toNumber above it). */
  uint(): number {
    const value = this.varint28();
    if (value >= 0) return value;
    this.readLongBits();
    return (this.hi >>> 0) * TWO_32 + (this.lo >>> 0);
  }

  /** Reads a varint as a signed int64 number: negative values take all ten bytes on the wire. */
  int(): number {
    const value = this.varint28();
    if (value >= 0) return value;
    this.readLongBits();
    return (this.hi | 0) * TWO_32 + (this.lo >>> 0);
  }

  /**
   * The fast path: a varint of at most four bytes, or -1 (reading nothing) for a longer one. Unrolled,
   * one- and two-byte varints (most keys, ids, lengths and string indices) first, each byte checked
   * against the end only while that can fail: with a loop over shifts, google-pprof__large.cpu (whose
   * scan, locations and functions read through here) decoded about 5% slower (interleaved medians).
   */
  private varint28(): number {
    const buf = this.buf;
    const pos = this.pos;
    const end = this.end;
    const b0 = pos < end ? buf[pos] : 0x80;
    if (b0 < 0x80) {
      this.pos = pos + 1;
      return b0;
    }
    if (pos + 1 < end) {
      const b1 = buf[pos + 1];
      if (b1 < 0x80) {
        this.pos = pos + 2;
        return (b0 & 0x7f) | (b1 << 7);
      }
      if (pos + 3 < end) {
        const b2 = buf[pos + 2];
        if (b2 < 0x80) {
          this.pos = pos + 3;
          return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
        }
        const b3 = buf[pos + 3];
        if (b3 < 0x80) {
          this.pos = pos + 4;
          return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | ((b2 & 0x7f) << 14) | (b3 << 21);
        }
        return -1;
      }
    }
    return this.varint28Near();
  }

  /** varint28 near the end, where each byte is checked against it. */
  private varint28Near(): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= this.end) throw this.cutOff(this.pos);
      const b = buf[pos++];
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
    }
    return -1;
  }

  /** Reads a varint as an unsigned 64-bit integer: a number when exact (below 2^53), else a bigint. */
  uintOrBig(): number | bigint {
    const value = this.varint28();
    if (value >= 0) return value;
    this.readLongBits();
    if (this.hi >>> 0 < TWO_21) return (this.hi >>> 0) * TWO_32 + (this.lo >>> 0);
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }

  /** Reads a varint as an unsigned 64-bit bigint. */
  bigUint(): bigint {
    this.readLongBits();
    return this.hi === 0 ? BigInt(this.lo >>> 0) : (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }

  /** Reads a varint as a signed 64-bit bigint. */
  bigInt(): bigint {
    return BigInt.asIntN(64, this.bigUint());
  }

  /** Reads a varint as a bool: any non-zero value is true. */
  bool(): boolean {
    this.readLongBits();
    return (this.lo | this.hi) !== 0;
  }

  /** Decodes `buf[start, end)` as UTF-8 (invalid sequences become U+FFFD), leaving the position alone. */
  utf8(start: number, end: number): string {
    return this.text.toString('utf8', start, end);
  }

  /**
   * Reads the length prefix of the field whose key was just read and narrows the reader to that
   * field; returns the end to pass to `leave`.
   */
  enter(): number {
    const length = this.uint();
    if (length > this.end - this.pos) throw this.cutOff(this.keyAt, length);
    const outer = this.end;
    this.end = this.pos + length;
    return outer;
  }

  /**
   * Moves past the length-delimited field whose key was just read; returns where its contents start
   * (they end at the new position). `enter` and `leave` in one, for the scan's many fields.
   */
  pass(): number {
    const length = this.uint();
    if (length > this.end - this.pos) throw this.cutOff(this.keyAt, length);
    const start = this.pos;
    this.pos = start + length;
    return start;
  }

  /** Widens the reader back to the enclosing message after the field `enter` narrowed it to. */
  leave(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }

  /**
   * Skips the field whose key was just read, in a message whose fields are numbered 1..`known`: unknown
   * fields of any wire type are skipped, as protobuf requires; a known field with a wire type other
   * than profile.proto's is refused.
   */
  skip(known: number, message: string): void {
    const field = Math.floor(this.lastKey / 8);
    if (field <= known) {
      throw this.malformed(`field ${field} of ${message} at byte ${this.keyAt} has the wrong wire type ${this.lastKey & 7}`);
    }
    this.skipValue(this.lastKey, this.keyAt);
  }

  private skipValue(key: number, at: number): void {
    switch (key & 7) {
      case VARINT: this.readLongBits(); return;
      case I64: this.advance(8, at); return;
      case LEN: this.leave(this.enter()); return;
      case I32: this.advance(4, at); return;
      case START_GROUP: this.skipGroup(Math.floor(key / 8)); return;
      default: throw this.malformed(`end-group marker without a start-group at byte ${at}`);
    }
  }

  /** Skips a (deprecated) group to its end-group marker, nested groups included, without recursion. */
  private skipGroup(field: number): void {
    const open = [field];
    while (open.length > 0) {
      const at = this.pos;
      const key = this.key();
      if ((key & 7) === START_GROUP) open.push(Math.floor(key / 8));
      else if ((key & 7) !== END_GROUP) this.skipValue(key, at);
      else if (open.pop() !== Math.floor(key / 8)) throw this.malformed(`end-group marker at byte ${at} closes another field's group`);
    }
  }

  private advance(bytes: number, at: number): void {
    if (bytes > this.end - this.pos) throw this.cutOff(at, bytes);
    this.pos += bytes;
  }

  /** Reads any varint into lo/hi, as protobufjs' LongBits does; refuses varints over ten bytes. */
  private readLongBits(): void {
    const buf = this.buf;
    const at = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw this.cutOff(at);
      const b = buf[this.pos++];
      if (i < 4) lo |= (b & 0x7f) << (i * 7);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (i * 7 - 32);
      if (b < 0x80) {
        this.lo = lo;
        this.hi = hi;
        return;
      }
    }
    throw this.malformed(`varint longer than ten bytes at byte ${at}`);
  }

  /** A field that runs past its end: truncation when that end is the input's, corruption otherwise. */
  private cutOff(at: number, length?: number): ProfileError {
    const what = length === undefined ? `a varint at byte ${at}` : `a ${length}-byte field at byte ${at}`;
    if (!this.scanned && this.end === this.buf.length) {
      return new ProfileError('truncated', `not a complete pprof profile: truncated at byte ${this.end} (${what} runs past it)`);
    }
    return this.malformed(`${what} runs past the end of its enclosing message at byte ${this.end}`);
  }

  private malformed(detail: string): ProfileError {
    return new ProfileError('not_pprof', `not gzip or pprof protobuf: ${detail}`);
  }
}

const TWO_32 = 4294967296;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A varint field's length prefix takes one byte below this length. */
const ONE_BYTE_LENGTH = 128;

/**
 * A protobuf wire-format writer into one growing buffer. A nested message reserves one byte for its
 * length and is moved along in the rare case its length needs more, so nothing is sized twice.
 *
 * Hand-written rather than protobufjs' Writer, which first needs the whole profile rebuilt as message
 * objects and then queues one operation per field: see encode.ts for the figures. Zero scalars are
 * left out, as Go's encoder and proto3 do.
 */
export class WireWriter {
  private buf: Buffer;
  private pos = 0;
  /** Where the bytes not yet handed out by `flushTo` start. */
  private flushed = 0;

  /**
   * `sizeHint`: the bytes to reserve. Reserving too much costs little: pages never written are never
   * faulted in, whereas each doubling copies everything written so far into fresh pages.
   */
  constructor(sizeHint = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(sizeHint);
  }

  /** The bytes written so far: a view of the writer's buffer, valid until the next write. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /**
   * Hands the bytes written since the last flush to `sink`, once there are `minBytes` of them, so
   * they can be compressed while the rest is written. Call only between top-level fields: `end`
   * moves the bytes of an unfinished nested message. Flushed bytes are never written again (a
   * bigger buffer is a copy), so the view stays valid.
   */
  flushTo(sink: (bytes: Uint8Array) => void, minBytes: number): void {
    if (this.pos - this.flushed < minBytes) return;
    sink(this.buf.subarray(this.flushed, this.pos));
    this.flushed = this.pos;
  }

  /** The bytes written since the last `flushTo`: a view, valid until the next write. */
  unflushed(): Uint8Array {
    return this.buf.subarray(this.flushed, this.pos);
  }

  /** A varint field holding an integer that is a uint64 or, when negative, an int64; left out when 0. */
  uint(field: number, value: number): void {
    if (value === 0) return;
    this.ensure(20);
    this.varint(field * 8);
    this.varint(value);
  }

  /** A varint field holding a 64-bit integer given as a bigint (wrapped to 64 bits); left out when 0. */
  big(field: number, value: bigint): void {
    if (value === 0n) return;
    this.ensure(20);
    this.varint(field * 8);
    if (value > 0n && value <= MAX_SAFE) return this.varint(Number(value));
    const bits = BigInt.asUintN(64, value);
    this.varint64(Number(bits & 0xffffffffn), Number(bits >> 32n));
  }

  /** A bool field; left out when false. */
  bool(field: number, value: boolean): void {
    if (value) this.uint(field, 1);
  }

  /** A packed repeated varint field (uint64, or int64 for negative values); left out when empty. */
  packed(field: number, values: ArrayLike<number>): void {
    this.packedRange(field, values, 0, values.length);
  }

  /** A packed repeated varint field of `values[from, to)`; left out when empty. */
  packedRange(field: number, values: ArrayLike<number>, from: number, to: number): void {
    if (to === from) return;
    const start = this.begin(field);
    this.ensure(10 * (to - from));
    for (let i = from; i < to; i++) this.varint(values[i]);
    this.end(start);
  }

  /**
   * A packed repeated field of `ids[positions[i]]` for i in [from, to), such as a sample's location ids
   * from columns. Ids below 2^14, one or two bytes, are written here with the position in a local:
   * through `varint` per id, writing the stacks of the merge of 60 large synthetic profiles (8.4
   * million ids) was the costliest line of encoding it.
   */
  packedIdsAt(field: number, ids: ArrayLike<number>, positions: ArrayLike<number>, from: number, to: number): void {
    if (to === from) return;
    const start = this.begin(field);
    this.ensure(10 * (to - from));
    const buf = this.buf;
    let pos = this.pos;
    for (let i = from; i < to; i++) {
      const id = ids[positions[i]];
      if (id >= 0 && id < 0x80) buf[pos++] = id;
      else if (id >= 0 && id < 0x4000) {
        buf[pos++] = (id & 0x7f) | 0x80;
        buf[pos++] = id >>> 7;
      } else {
        this.pos = pos;
        this.varint(id);
        pos = this.pos;
      }
    }
    this.pos = pos;
    this.end(start);
  }

  /** A packed repeated field of the entries' ids, such as a sample's location ids; left out when empty. */
  packedIds(field: number, entries: readonly { readonly id: number }[]): void {
    if (entries.length === 0) return;
    const start = this.begin(field);
    this.ensure(10 * entries.length);
    for (let i = 0; i < entries.length; i++) this.varint(entries[i].id);
    this.end(start);
  }

  /** A string field, written even when empty: the string table's first entry is "". */
  string(field: number, value: string): void {
    this.ensure(16 + 3 * value.length);
    this.varint(field * 8 + 2);
    // At most 3 bytes per UTF-16 unit: a string this short has a one-byte length prefix.
    if (3 * value.length < ONE_BYTE_LENGTH) {
      const start = this.pos++;
      this.buf[start] = this.buf.write(value, this.pos, 'utf8');
      this.pos += this.buf[start];
    } else {
      const length = Buffer.byteLength(value, 'utf8');
      this.varint(length);
      this.pos += this.buf.write(value, this.pos, 'utf8');
    }
  }

  /** Starts a nested message field; returns the position to pass to `end`. */
  begin(field: number): number {
    this.ensure(11);
    this.varint(field * 8 + 2);
    return this.pos++;
  }

  /** Ends the nested message `begin` started, writing its length before it. */
  end(start: number): void {
    const length = this.pos - start - 1;
    if (length < ONE_BYTE_LENGTH) {
      this.buf[start] = length;
      return;
    }
    const prefix = varintSize(length);
    this.ensure(prefix);
    this.buf.copyWithin(start + prefix, start + 1, this.pos);
    this.pos = start;
    this.varint(length);
    this.pos += length;
  }

  /** Writes a varint without checking room: callers `ensure` 10 bytes per varint first. */
  private varint(value: number): void {
    if (value >= 0 && value < TWO_32) {
      const buf = this.buf;
      let pos = this.pos;
      let v = value >>> 0;
      while (v >= 0x80) {
        buf[pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[pos++] = v;
      this.pos = pos;
    } else {
      // Two's complement for negative int64 values: exact, since Math.floor(v / 2^32) is.
      const hi = Math.floor(value / TWO_32);
      this.varint64((value - hi * TWO_32) >>> 0, hi >>> 0);
    }
  }

  /** A 64-bit varint from its low and high 32 bits, as protobufjs' writeVarint64 writes it. */
  private varint64(lo: number, hi: number): void {
    while (hi !== 0) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo >= 0x80) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo >>>= 7;
    }
    this.buf[this.pos++] = lo;
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.pos + bytes, 2 * this.buf.length));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= ONE_BYTE_LENGTH) {
    value = Math.floor(value / ONE_BYTE_LENGTH);
    size++;
  }
  return size;
}

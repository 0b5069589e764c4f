import { ProfileError } from './errors';
import type { Ranges } from './lists';
import type { Mapping, ValueType } from './model';
import { VARINT, type WireReader } from './wire';

/** log2 of the strings per chunk of StringTable's decoded strings: 4,096 entries, 32 KB. */
const CHUNK_BITS = 12;

/**
 * The string table, each string decoded on first use: the merge of encoded profiles matches most
 * strings by their bytes and never decodes them. `at` is the fast path; callers name the referring
 * field only when it fails.
 *
 * Decoded strings are kept in chunks made on first use rather than one array as long as the table:
 * past 16k entries such an array goes to V8's large-object space, mapped afresh and page-faulted in
 * for every profile decoded.
 */
export class StringTable {
  /** Strings by index; the empty table reads as [""]. */
  readonly count: number;
  /** The encoded profile the strings lie in. */
  readonly bytes: Uint8Array;
  private readonly decoded: (string | undefined)[][] = [];

  /** Where each string lies in `bytes`. */
  constructor(private readonly r: WireReader, readonly ranges: Ranges) {
    this.bytes = r.buf;
    this.count = Math.max(1, ranges.count);
    if (ranges.count > 0 && ranges.end(0) > ranges.start(0)) {
      const first = r.utf8(ranges.start(0), ranges.end(0));
      throw new ProfileError('invalid_value', `string_table[0] must be "" but is ${JSON.stringify(first.slice(0, 40))}`);
    }
  }

  /** The string at `index`, or undefined when the index is out of range. */
  at(index: number): string | undefined {
    if (!this.has(index)) return undefined;
    if (index === 0) return '';
    const chunk = (this.decoded[index >> CHUNK_BITS] ??= new Array<string | undefined>(1 << CHUNK_BITS));
    return (chunk[index & ((1 << CHUNK_BITS) - 1)] ??= this.r.utf8(this.ranges.start(index), this.ranges.end(index)));
  }

  /** The string at `index`, refusing an index out of range as a reference from `what`. */
  get(index: number, what: string): string {
    return this.at(index) ?? this.refuse(index, what);
  }

  /** True when `index` is in range of the table. */
  has(index: number): boolean {
    return index >= 0 && index < this.count;
  }

  /** Refuses an index out of range as a reference from `what`, without decoding the string. */
  check(index: number, what: string): void {
    if (!this.has(index)) this.refuse(index, what);
  }

  /** Where string `index` (in range) lies in the reader's bytes, as [byteStart, byteEnd). */
  byteStart(index: number): number {
    return index === 0 ? 0 : this.ranges.start(index);
  }

  byteEnd(index: number): number {
    return index === 0 ? 0 : this.ranges.end(index);
  }

  /** Throws the error for a reference from `what` to string `index`, out of range. */
  refuse(index: number, what: string): never {
    throw new ProfileError('invalid_reference', `${what} refers to string ${index}, out of range of the string table (${this.ranges.count} entries)`);
  }
}

/**
 * Finds an entry's position by its id. Encoders number entries 1..n in order (Go's does), so the
 * position is then the id less one; otherwise a Map is built. Refuses id 0 and duplicate ids.
 */
export class IdIndex {
  readonly firstId: number;
  /** The entry count when ids are consecutive from `firstId`, so the position is `id - firstId`; else 0. */
  readonly denseCount: number = 0;
  private readonly byId: Map<number, number> | null = null;

  constructor(private readonly count: number, idAt: (position: number) => number, kind: string) {
    this.firstId = count > 0 ? idAt(0) : 1;
    let consecutive = this.firstId >= 1;
    for (let i = 0; consecutive && i < count; i++) consecutive = idAt(i) === this.firstId + i;
    if (consecutive) {
      this.denseCount = count;
      return;
    }
    const byId = new Map<number, number>();
    for (let i = 0; i < count; i++) {
      const id = idAt(i);
      if (id === 0) throw new ProfileError('invalid_value', `a ${kind} has the reserved id 0`);
      if (byId.has(id)) throw new ProfileError('invalid_value', `two ${kind}s share the id ${id}`);
      byId.set(id, i);
    }
    this.byId = byId;
  }

  /** The position of the entry with this id, or -1 when there is none. */
  get(id: number): number {
    if (this.byId !== null) return this.byId.get(id) ?? -1;
    const position = id - this.firstId;
    return position >= 0 && position < this.count ? position : -1;
  }
}

/** An IdIndex over entries that carry their id. */
export function indexById(entries: readonly { readonly id: number }[], kind: string): IdIndex {
  return new IdIndex(entries.length, (i) => entries[i].id, kind);
}

/** Reads a ValueType message; `what` names it in errors. */
export function readValueType(r: WireReader, strings: StringTable, what: string): ValueType {
  let type = 0;
  let unit = 0;
  while (r.pos < r.end) {
    const key = r.key();
    if (key === 1 * 8 + VARINT) type = r.int();
    else if (key === 2 * 8 + VARINT) unit = r.int();
    else r.skip(2, 'ValueType');
  }
  return { type: strings.at(type) ?? strings.refuse(type, what), unit: strings.at(unit) ?? strings.refuse(unit, what) };
}

/** Reads Mapping message `i`, its strings resolved. */
export function readMapping(r: WireReader, strings: StringTable, i: number): Mapping {
  let id = 0, filename = 0, buildId = 0;
  let memoryStart = 0n, memoryLimit = 0n, fileOffset = 0n;
  let hasFunctions = false, hasFilenames = false, hasLineNumbers = false, hasInlineFrames = false;
  while (r.pos < r.end) {
    switch (r.key()) {
      case 1 * 8 + VARINT: id = r.uint(); break;
      case 2 * 8 + VARINT: memoryStart = r.bigUint(); break;
      case 3 * 8 + VARINT: memoryLimit = r.bigUint(); break;
      case 4 * 8 + VARINT: fileOffset = r.bigUint(); break;
      case 5 * 8 + VARINT: filename = r.int(); break;
      case 6 * 8 + VARINT: buildId = r.int(); break;
      case 7 * 8 + VARINT: hasFunctions = r.bool(); break;
      case 8 * 8 + VARINT: hasFilenames = r.bool(); break;
      case 9 * 8 + VARINT: hasLineNumbers = r.bool(); break;
      case 10 * 8 + VARINT: hasInlineFrames = r.bool(); break;
      default: r.skip(10, 'Mapping');
    }
  }
  return {
    id, memoryStart, memoryLimit, fileOffset,
    file: strings.at(filename) ?? strings.refuse(filename, `mapping ${i} filename`),
    buildId: strings.at(buildId) ?? strings.refuse(buildId, `mapping ${i} build_id`),
    hasFunctions, hasFilenames, hasLineNumbers, hasInlineFrames,
  };
}

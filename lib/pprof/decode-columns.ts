import { IdIndex, type StringTable } from './decode-tables';
import { atLeast, grow, type Ranges } from './lists';
import { ProfileError } from './errors';
import { LEN, VARINT, type WireReader } from './wire';

/**
 * A profile's functions as columns reused from profile to profile: function `i` is
 * (id, name, system name, file name, start line) at `fields[5 * i]`, strings as string-table indices.
 */
export class FunctionColumns {
  count = 0;
  fields = new Float64Array(5 * 64);
  /** Positions by function id; valid after `read`. */
  index = new IdIndex(0, () => 0, 'function');

  /** Reads the Function messages at `ranges`, refusing any whose string index is out of range. */
  read(r: WireReader, ranges: Ranges, strings: StringTable): void {
    this.count = ranges.count;
    this.fields = atLeast(this.fields, 5 * this.count);
    for (let i = 0; i < this.count; i++) {
      r.message(ranges.start(i), ranges.end(i));
      this.readFunction(r, strings, i);
    }
    this.index = new IdIndex(this.count, (i) => this.fields[5 * i], 'function');
  }

  /**
   * Reads Function message `i` straight into the columns, as locations are read, with no fields object
   * to copy from: functions are 8–9% of decoding google-pprof__large.cpu (23,038 of them).
   */
  private readFunction(r: WireReader, strings: StringTable, i: number): void {
    let id = 0, name = 0, systemName = 0, filename = 0, startLine = 0;
    while (r.pos < r.end) {
      switch (r.key()) {
        case 1 * 8 + VARINT: id = r.uint(); break;
        case 2 * 8 + VARINT: name = r.int(); break;
        case 3 * 8 + VARINT: systemName = r.int(); break;
        case 4 * 8 + VARINT: filename = r.int(); break;
        case 5 * 8 + VARINT: startLine = r.int(); break;
        default: r.skip(5, 'Function');
      }
    }
    strings.check(name, `function ${i} name`);
    strings.check(systemName, `function ${i} system_name`);
    strings.check(filename, `function ${i} filename`);
    const fields = this.fields;
    fields[5 * i] = id;
    fields[5 * i + 1] = name;
    fields[5 * i + 2] = systemName;
    fields[5 * i + 3] = filename;
    fields[5 * i + 4] = startLine;
  }
}

/**
 * A profile's locations as columns in typed arrays reused from profile to profile, each reference
 * checked and turned into a position: location `i` is in mapping `mapping[i]` (-1 for none), and its
 * lines are the (function position, line, column) triples `lines[3 * lineStart[i]]` up to
 * `lines[3 * lineStart[i + 1]]`.
 */
export class LocationColumns {
  count = 0;
  ids = new Float64Array(64);
  mapping = new Int32Array(64);
  /** Exact below 2^53; NaN for the addresses above, which are in `bigAddress` by position. */
  address = new Float64Array(64);
  readonly bigAddress = new Map<number, bigint>();
  folded = new Uint8Array(64);
  lineStart = new Int32Array(65);
  lines = new Float64Array(192);
  /** Positions by location id; valid after `read`. */
  index = new IdIndex(0, () => 0, 'location');

  /** Reads the Location messages at `ranges`, refusing any that references a missing mapping or function. */
  read(r: WireReader, ranges: Ranges, mappingIndex: IdIndex, functionIndex: IdIndex): void {
    this.count = ranges.count;
    this.ids = atLeast(this.ids, this.count);
    this.mapping = atLeast(this.mapping, this.count);
    this.folded = atLeast(this.folded, this.count);
    this.lineStart = atLeast(this.lineStart, this.count + 1);
    this.address = atLeast(this.address, this.count);
    this.bigAddress.clear();
    for (let i = 0; i < this.count; i++) {
      r.message(ranges.start(i), ranges.end(i));
      const mappingId = this.readLocation(r, i);
      const mapping = mappingId === 0 ? -1 : mappingIndex.get(mappingId);
      if (mapping < 0 && mappingId !== 0) {
        throw new ProfileError('invalid_reference', `location ${this.ids[i]} references missing mapping ${mappingId}`);
      }
      this.mapping[i] = mapping;
      for (let l = 3 * this.lineStart[i]; l < 3 * this.lineStart[i + 1]; l += 3) {
        const fn = functionIndex.get(this.lines[l]);
        if (fn < 0) throw new ProfileError('invalid_reference', `location ${this.ids[i]} references missing function ${this.lines[l]}`);
        this.lines[l] = fn;
      }
    }
    this.index = new IdIndex(this.count, (i) => this.ids[i], 'location');
  }

  /**
   * Reads Location message `i` straight into the columns, its lines' function ids not yet resolved;
   * returns its mapping id. Read through a reusable fields object and then copied, locations showed
   * as 12% of decoding google-pprof__large.cpu in a CPU profile.
   */
  private readLocation(r: WireReader, i: number): number {
    let id = 0, mappingId = 0, isFolded = false;
    let address: number | bigint = 0;
    let used = this.lineStart[i];
    while (r.pos < r.end) {
      switch (r.key()) {
        case 1 * 8 + VARINT: id = r.uint(); break;
        case 2 * 8 + VARINT: mappingId = r.uint(); break;
        case 3 * 8 + VARINT: address = r.uintOrBig(); break;
        case 4 * 8 + LEN: this.readLine(r, used++); break;
        case 5 * 8 + VARINT: isFolded = r.bool(); break;
        default: r.skip(5, 'Location');
      }
    }
    this.ids[i] = id;
    this.setAddress(i, address);
    this.folded[i] = isFolded ? 1 : 0;
    this.lineStart[i + 1] = used;
    return mappingId;
  }

  /** Reads a Line message into line `j` of the columns: (function id, line, column). */
  private readLine(r: WireReader, j: number): void {
    if (3 * j + 3 > this.lines.length) this.lines = grow(this.lines, 3 * j + 3);
    const outer = r.enter();
    let functionId = 0, line = 0, column = 0;
    while (r.pos < r.end) {
      switch (r.key()) {
        case 1 * 8 + VARINT: functionId = r.uint(); break;
        case 2 * 8 + VARINT: line = r.int(); break;
        case 3 * 8 + VARINT: column = r.int(); break;
        default: r.skip(3, 'Line');
      }
    }
    r.leave(outer);
    this.lines[3 * j] = functionId;
    this.lines[3 * j + 1] = line;
    this.lines[3 * j + 2] = column;
  }

  /** Sets the address of location `i`. */
  setAddress(i: number, address: number | bigint): void {
    if (typeof address === 'number') this.address[i] = address;
    else {
      this.address[i] = NaN;
      this.bigAddress.set(i, address);
    }
  }

  /** The address of location `i`: a number when exact, else a bigint. */
  addressOf(i: number): number | bigint {
    const address = this.address[i];
    return Number.isNaN(address) ? (this.bigAddress.get(i) as bigint) : address;
  }
}

import { LocationFields } from './decode-locations';
import { LabelSets, SampleFields } from './decode-samples';
import { FunctionFields, IdIndex, type StringTable } from './decode-tables';
import { atLeast, grow, type Ranges } from './lists';
import type { SampleLabel } from './model';
import type { WireReader } from './wire';

/**
 * A profile's functions as columns reused from profile to profile: function `i` is
 * (id, name, system name, file name, start line) at `fields[5 * i]`, strings as string-table indices.
 */
export class FunctionColumns {
  count = 0;
  fields = new Float64Array(5 * 64);
  /** Positions by function id; valid after `read`. */
  index = new IdIndex(0, () => 0, 'function');
  private readonly function = new FunctionFields();

  /** Reads the Function messages at `ranges`, refusing any whose string index is out of range. */
  read(r: WireReader, ranges: Ranges, strings: StringTable): void {
    const fn = this.function;
    this.count = ranges.count;
    this.fields = atLeast(this.fields, 5 * this.count);
    for (let i = 0; i < this.count; i++) {
      r.message(ranges.start(i), ranges.end(i));
      fn.read(r, strings, i);
      this.fields[5 * i] = fn.id;
      this.fields[5 * i + 1] = fn.name;
      this.fields[5 * i + 2] = fn.systemName;
      this.fields[5 * i + 3] = fn.filename;
      this.fields[5 * i + 4] = fn.startLine;
    }
    this.index = new IdIndex(this.count, (i) => this.fields[5 * i], 'function');
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
  private readonly bigAddress = new Map<number, bigint>();
  folded = new Uint8Array(64);
  lineStart = new Int32Array(65);
  lines = new Float64Array(192);
  /** Positions by location id; valid after `read`. */
  index = new IdIndex(0, () => 0, 'location');
  private readonly fields = new LocationFields();

  /** Reads the Location messages at `ranges`, refusing any that references a missing mapping or function. */
  read(r: WireReader, ranges: Ranges, mappingIndex: IdIndex, functionIndex: IdIndex): void {
    const { fields } = this;
    this.count = ranges.count;
    this.ids = atLeast(this.ids, this.count);
    this.mapping = atLeast(this.mapping, this.count);
    this.folded = atLeast(this.folded, this.count);
    this.lineStart = atLeast(this.lineStart, this.count + 1);
    this.address = atLeast(this.address, this.count);
    this.bigAddress.clear();
    let used = 0;
    for (let i = 0; i < this.count; i++) {
      r.message(ranges.start(i), ranges.end(i));
      fields.read(r);
      const mapping = fields.mappingId === 0 ? -1 : mappingIndex.get(fields.mappingId);
      if (mapping < 0 && fields.mappingId !== 0) throw fields.missingMapping();
      if (3 * (used + fields.lineCount) > this.lines.length) this.lines = grow(this.lines, 3 * (used + fields.lineCount));
      for (let j = 0; j < fields.lineCount; j++, used++) {
        const fn = functionIndex.get(fields.lines.at(3 * j));
        if (fn < 0) throw fields.missingFunction(j);
        this.lines[3 * used] = fn;
        this.lines[3 * used + 1] = fields.lines.at(3 * j + 1);
        this.lines[3 * used + 2] = fields.lines.at(3 * j + 2);
      }
      this.ids[i] = fields.id;
      this.mapping[i] = mapping;
      if (typeof fields.address === 'number') this.address[i] = fields.address;
      else {
        this.address[i] = NaN;
        this.bigAddress.set(i, fields.address);
      }
      this.folded[i] = fields.isFolded ? 1 : 0;
      this.lineStart[i + 1] = used;
    }
    this.index = new IdIndex(this.count, (i) => this.ids[i], 'location');
  }

  /** The address of location `i`: a number when exact, else a bigint. */
  addressOf(i: number): number | bigint {
    const address = this.address[i];
    return Number.isNaN(address) ? (this.bigAddress.get(i) as bigint) : address;
  }
}

/**
 * A profile's samples as columns in typed arrays reused from profile to profile: sample `i` has the
 * location positions `stacks[stackStart[i]]` up to `stacks[stackStart[i + 1]]`, leaf first, the values
 * `values[typeCount * i]` on, and the labels `labels[i]` (one shared array per distinct label set).
 */
export class SampleColumns {
  count = 0;
  stackStart = new Int32Array(65);
  stacks = new Int32Array(1024);
  values = new Float64Array(128);
  readonly labels: (readonly SampleLabel[])[] = [];
  private readonly fields = new SampleFields();

  /** Reads the Sample messages at `ranges`, refusing any with a wrong value count or a missing location. */
  read(r: WireReader, ranges: Ranges, strings: StringTable, typeCount: number, locationIndex: IdIndex): void {
    const { fields } = this;
    const labelSets = new LabelSets(r, strings);
    this.count = ranges.count;
    this.stackStart = atLeast(this.stackStart, this.count + 1);
    this.values = atLeast(this.values, typeCount * this.count);
    this.labels.length = this.count;
    let used = 0;
    for (let i = 0; i < this.count; i++) {
      r.message(ranges.start(i), ranges.end(i));
      fields.read(r, i, typeCount);
      const { ids, values } = fields;
      if (used + ids.count > this.stacks.length) this.stacks = grow(this.stacks, used + ids.count);
      for (let j = 0; j < ids.count; j++) {
        const location = locationIndex.get(ids.at(j));
        if (location < 0) throw fields.missingLocation(i, j);
        this.stacks[used++] = location;
      }
      this.stackStart[i + 1] = used;
      for (let j = 0; j < typeCount; j++) this.values[typeCount * i + j] = values.at(j);
      this.labels[i] = labelSets.of(fields, i);
    }
  }
}

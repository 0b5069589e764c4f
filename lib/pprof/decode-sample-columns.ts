import { IdIndex, type StringTable } from './decode-tables';
import { ProfileError } from './errors';
import { LabelSets, NO_LABELS, type NotedLabels } from './decode-samples';
import { atLeast, grow, type Ranges } from './lists';
import type { SampleLabel } from './model';
import { LEN, VARINT, type WireReader } from './wire';

/**
 * A profile's samples as columns in typed arrays: sample `i` has the location positions
 * `stacks[stackStart[i]]` up to `stacks[stackStart[i + 1]]`, leaf first, the values
 * `values[typeCount * i]` on, and the labels `labelLists[labelIndex[i]]`, list 0 being no labels.
 * A reader for many profiles (the merge of encoded ones) reuses one, keeping the room its arrays grew.
 *
 * Labels are a list number per sample in a typed array, not an array of label arrays: past 16k
 * samples such an array goes to V8's large-object space, mapped afresh and page-faulted in for every
 * profile decoded, which took 9% of decoding datadog-pprof-format__test.pprof (28,565 samples).
 *
 * The Sample loop reads varints inline, straight into the columns: samples are most of a profile's
 * bytes. Through the general reader's calls and a list copied per sample, the samples of
 * google-pprof__large.cpu (500,000 location ids) took 4.9 ms, inline 3.7 ms (best of 300, same machine).
 */
export class SampleColumns implements NotedLabels {
  count = 0;
  typeCount = 0;
  stackStart = new Int32Array(65);
  stacks = new Int32Array(1024);
  values = new Float64Array(128);
  labelIndex = new Int32Array(64);
  labelLists: readonly (readonly SampleLabel[])[] = [NO_LABELS];
  labelCount = 0;
  readonly labelStarts: number[] = [];
  readonly labelEnds: number[] = [];
  private locationIndex = new IdIndex(0, () => 0, 'location');
  /** The first location id of the sample being read that names no location, or -1. */
  private missingId = -1;

  /** Reads the Sample messages at `ranges`, refusing any with a wrong value count or a missing location. */
  read(r: WireReader, ranges: Ranges, strings: StringTable, typeCount: number, locationIndex: IdIndex): void {
    const labelSets = new LabelSets(r, strings);
    this.count = ranges.count;
    this.typeCount = typeCount;
    this.stackStart = atLeast(this.stackStart, this.count + 1);
    this.values = atLeast(this.values, typeCount * this.count);
    this.labelIndex = atLeast(this.labelIndex, this.count);
    this.labelLists = labelSets.lists;
    this.locationIndex = locationIndex;
    let used = 0;
    for (let i = 0; i < this.count; i++) {
      r.message(ranges.start(i), ranges.end(i));
      used = this.readSample(r, i, used);
      this.stackStart[i + 1] = used;
      this.labelIndex[i] = labelSets.of(this, i);
    }
  }

  /**
   * Reads sample `i`'s location ids onto `stacks` from `used` on, its values into `values` and where
   * its labels lie; returns the new end of `stacks`. Refuses it unless it has one value per sample
   * type. Go writes repeated fields of up to two values unpacked, so both forms are common.
   */
  private readSample(r: WireReader, i: number, used: number): number {
    const typeCount = this.typeCount;
    let valueCount = 0;
    this.labelCount = 0;
    this.missingId = -1;
    while (r.pos < r.end) {
      switch (r.key()) {
        case 1 * 8 + VARINT:
          if (used === this.stacks.length) this.stacks = grow(this.stacks, used + 1);
          this.stacks[used++] = this.position(r.uint());
          break;
        case 1 * 8 + LEN: used = this.readIds(r, used); break;
        case 2 * 8 + VARINT:
          if (valueCount < typeCount) this.values[typeCount * i + valueCount] = r.int();
          else r.int();
          valueCount++;
          break;
        case 2 * 8 + LEN: valueCount = this.readValues(r, i, valueCount); break;
        case 3 * 8 + LEN: this.noteLabel(r); break;
        default: r.skip(3, 'Sample');
      }
    }
    if (valueCount !== typeCount) {
      throw new ProfileError('invalid_value', `sample ${i} has ${valueCount} values but the profile has ${typeCount} sample types`);
    }
    if (this.missingId >= 0) throw new ProfileError('invalid_reference', `sample ${i} references missing location ${this.missingId}`);
    return used;
  }

  /** The position of the location with this id; a missing one is noted, to be refused once the sample is read. */
  private position(id: number): number {
    const position = this.locationIndex.get(id);
    if (position < 0 && this.missingId < 0) this.missingId = id;
    return position;
  }

  /**
   * Appends the positions of a packed run of location ids. Ids of up to three bytes (below 2^21) are
   * read here without a call, and those of the usual locations numbered 1..n turned into positions
   * by a subtraction: this loop is most of decoding a CPU profile. Multi-byte ids are checked against
   * the run's end once, not per byte, and only those in its last two bytes go to the general reader:
   * with a check per byte, google-pprof__large.cpu and the heap fixtures decoded 4–5% slower
   * (interleaved medians of 24 rounds, loaded machine).
   */
  private readIds(r: WireReader, used: number): number {
    const outer = r.enter();
    const { buf, end } = r;
    // Each id takes at least one byte: room for them all up front spares a check per id.
    if (used + end - r.pos > this.stacks.length) this.stacks = grow(this.stacks, used + end - r.pos);
    const stacks = this.stacks;
    const { firstId, denseCount } = this.locationIndex;
    const safeEnd = end - 2;
    let pos = r.pos;
    while (pos < end) {
      let id = buf[pos];
      if (id < 0x80) pos += 1;
      else if (pos < safeEnd && buf[pos + 1] < 0x80) {
        id = (id & 0x7f) | (buf[pos + 1] << 7);
        pos += 2;
      } else if (pos < safeEnd && buf[pos + 2] < 0x80) {
        id = (id & 0x7f) | ((buf[pos + 1] & 0x7f) << 7) | (buf[pos + 2] << 14);
        pos += 3;
      } else {
        r.pos = pos;
        stacks[used++] = this.position(r.uint());
        pos = r.pos;
        continue;
      }
      // Below 2^21, and unsigned, a negative difference is past denseCount too.
      stacks[used++] = (id - firstId) >>> 0 < denseCount ? id - firstId : this.position(id);
    }
    r.pos = pos;
    r.leave(outer);
    return used;
  }

  /**
   * Reads a packed run of values of sample `i`, counting those past the sample types without keeping
   * them. Values of up to four bytes (below 2^28), most of a heap profile's, are read without a call.
   */
  private readValues(r: WireReader, i: number, valueCount: number): number {
    const outer = r.enter();
    const { buf, end } = r;
    const { typeCount, values } = this;
    const safeEnd = end - 3;
    let pos = r.pos;
    while (pos < end) {
      let value = buf[pos];
      if (value < 0x80) pos += 1;
      else if (pos < safeEnd) {
        const b1 = buf[pos + 1];
        value = (value & 0x7f) | ((b1 & 0x7f) << 7);
        if (b1 < 0x80) pos += 2;
        else {
          const b2 = buf[pos + 2];
          value |= (b2 & 0x7f) << 14;
          if (b2 < 0x80) pos += 3;
          else if (buf[pos + 3] < 0x80) {
            value |= buf[pos + 3] << 21;
            pos += 4;
          } else {
            r.pos = pos;
            value = r.int();
            pos = r.pos;
          }
        }
      } else {
        r.pos = pos;
        value = r.int();
        pos = r.pos;
      }
      if (valueCount < typeCount) values[typeCount * i + valueCount] = value;
      valueCount++;
    }
    r.pos = pos;
    r.leave(outer);
    return valueCount;
  }

  private noteLabel(r: WireReader): void {
    const outer = r.enter();
    this.labelStarts[this.labelCount] = r.pos;
    this.labelEnds[this.labelCount] = r.end;
    this.labelCount++;
    r.leave(outer);
  }
}

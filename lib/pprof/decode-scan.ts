import { readValueType, type StringTable } from './decode-tables';
import { NumberList, Ranges } from './lists';
import type { Profile, ValueType } from './model';
import { LEN, VARINT, type WireReader } from './wire';

/**
 * The top level of a Profile message. Samples come before the locations and strings they refer to, so
 * the scan only notes where each message lies, and the messages are decoded afterwards in dependency
 * order. A Scan can be reused for the next profile: its lists keep the room they grew.
 */
export class Scan {
  readonly sampleTypes = new Ranges();
  readonly samples = new Ranges();
  readonly mappings = new Ranges();
  readonly locations = new Ranges();
  readonly functions = new Ranges();
  readonly periodType = new Ranges();
  readonly strings = new Ranges();
  readonly comments = new NumberList();
  dropFrames = 0;
  keepFrames = 0;
  timeNanos = 0n;
  durationNanos = 0;
  period = 0;
  defaultSampleType = 0;
  docUrl = 0;

  /** Notes where each top-level field of the Profile message the reader is on lies. */
  read(r: WireReader): this {
    this.clear();
    while (r.pos < r.end) {
      switch (r.key()) {
        case 1 * 8 + LEN: this.sampleTypes.add(r); break;
        case 2 * 8 + LEN: this.samples.add(r); break;
        case 3 * 8 + LEN: this.mappings.add(r); break;
        case 4 * 8 + LEN: this.locations.add(r); break;
        case 5 * 8 + LEN: this.functions.add(r); break;
        case 6 * 8 + LEN: this.strings.add(r); break;
        case 7 * 8 + VARINT: this.dropFrames = r.int(); break;
        case 8 * 8 + VARINT: this.keepFrames = r.int(); break;
        case 9 * 8 + VARINT: this.timeNanos = r.bigInt(); break;
        case 10 * 8 + VARINT: this.durationNanos = r.int(); break;
        case 11 * 8 + LEN: this.periodType.add(r); this.periodType.keepLast(); break;
        case 12 * 8 + VARINT: this.period = r.int(); break;
        case 13 * 8 + VARINT: this.comments.push(r.int()); break;
        case 13 * 8 + LEN: this.comments.readPacked(r, true); break;
        case 14 * 8 + VARINT: this.defaultSampleType = r.int(); break;
        case 15 * 8 + VARINT: this.docUrl = r.int(); break;
        default: r.skip(15, 'Profile');
      }
    }
    return this;
  }

  private clear(): void {
    for (const ranges of [this.sampleTypes, this.samples, this.mappings, this.locations, this.functions, this.periodType, this.strings]) ranges.count = 0;
    this.comments.count = 0;
    this.dropFrames = this.keepFrames = this.durationNanos = this.period = this.defaultSampleType = this.docUrl = 0;
    this.timeNanos = 0n;
  }
}

/** Everything in a profile but its samples and the entities they reference. */
export type ProfileHeader = Omit<Profile, 'samples' | 'mappings' | 'locations' | 'functions'>;

/** Decodes each message the scan noted, in order, with `decode(index)` reading from the positioned reader. */
export function decodeAll<T>(r: WireReader, ranges: Ranges, decode: (index: number) => T): T[] {
  const out: T[] = new Array(ranges.count);
  for (let i = 0; i < ranges.count; i++) {
    r.message(ranges.start(i), ranges.end(i));
    out[i] = decode(i);
  }
  return out;
}

/** The header fields, string references resolved and checked. */
export function readHeader(r: WireReader, scan: Scan, strings: StringTable, sampleTypes: readonly ValueType[]): ProfileHeader {
  const periodType = scan.periodType.count === 0 ? null : decodeAll(r, scan.periodType, () => readValueType(r, strings, 'period_type'))[0];
  return {
    sampleTypes,
    defaultSampleType: strings.get(scan.defaultSampleType, 'default_sample_type'),
    dropFrames: strings.get(scan.dropFrames, 'drop_frames'),
    keepFrames: strings.get(scan.keepFrames, 'keep_frames'),
    timeNanos: scan.timeNanos,
    durationNanos: scan.durationNanos,
    periodType,
    period: scan.period,
    comments: scan.comments.toArray().map((c, i) => strings.get(c, `comment ${i}`)),
    docUrl: strings.get(scan.docUrl, 'doc_url'),
  };
}

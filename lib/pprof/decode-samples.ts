import type { StringTable } from './decode-tables';
import type { SampleLabel } from './model';
import { VARINT, type WireReader } from './wire';

/** Shared by every sample without labels: the model is read-only. */
export const NO_LABELS: SampleLabel[] = Object.freeze([]) as unknown as SampleLabel[];

/** Where the Label messages of the sample just read lie in the reader's bytes. */
export interface NotedLabels {
  readonly labelCount: number;
  readonly labelStarts: readonly number[];
  readonly labelEnds: readonly number[];
}

/** A decoded label set, where its first sample's Label messages lie and their hash, to recognise it by its bytes. */
interface LabelSet { starts: number[]; ends: number[]; labels: SampleLabel[]; hash: number; list: number }

/**
 * Past this many distinct label sets the labels are mostly unique per sample (span ids, say), so the
 * cache would only cost memory: samples then get their labels decoded afresh.
 */
const MAX_CACHED_LABEL_SETS = 4096;

/**
 * The label sets of one profile's samples. Profiles repeat a few label sets over thousands of samples
 * (datadog-pprof-format__test.pprof: 84 sets on 28565 samples), so each distinct set is decoded once,
 * recognised by its bytes, and its read-only array shared: allocation, not parsing, is what decoding
 * costs in V8.
 */
export class LabelSets {
  /** The label arrays samples refer to by number, the first being no labels. */
  readonly lists: SampleLabel[][] = [NO_LABELS];
  private readonly sets: LabelSet[] = [];
  /**
   * An open-addressing hash table of the sets: a slot holds a set's position plus one, or 0 when
   * empty, and at most half the slots are used. Through a Map from hash to sets, whose 32-bit keys
   * V8 boxes as doubles, the lookup was the costliest line of decoding dd-trace-go__big-heap.pprof;
   * with this table datadog-pprof-format__test.pprof decodes about 20% faster and the heap fixtures
   * 5–10% (interleaved medians of 24 rounds).
   */
  private slots = new Int32Array(64);

  constructor(private readonly r: WireReader, private readonly strings: StringTable) {}

  /** The number in `lists` of the labels of sample `i`, whose fields were just read. */
  of(fields: NotedLabels, i: number): number {
    if (fields.labelCount === 0) return 0;
    if (this.sets.length >= MAX_CACHED_LABEL_SETS) return this.decode(fields, i).list;
    const { labelStarts: starts, labelEnds: ends, labelCount: count } = fields;
    const buf = this.r.buf;
    let hash = 0x811c9dc5;
    for (let j = 0; j < count; j++) {
      hash = Math.imul(hash ^ (ends[j] - starts[j]), 0x01000193);
      for (let b = starts[j]; b < ends[j]; b++) hash = Math.imul(hash ^ buf[b], 0x01000193);
    }
    const { slots, sets } = this;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (let taken = slots[slot]; taken !== 0; taken = slots[slot]) {
      const set = sets[taken - 1];
      if (set.hash === hash && sameBytes(buf, set, starts, ends, count)) return set.list;
      slot = (slot + 1) & mask;
    }
    const set = this.decode(fields, i);
    set.hash = hash;
    sets.push(set);
    slots[slot] = sets.length;
    if (2 * sets.length > slots.length) this.rehash();
    return set.list;
  }

  /** Doubles the table. */
  private rehash(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let s = 0; s < this.sets.length; s++) {
      let slot = this.sets[s].hash & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = s + 1;
    }
    this.slots = slots;
  }

  private decode(fields: NotedLabels, i: number): LabelSet {
    const count = fields.labelCount;
    const set = { starts: fields.labelStarts.slice(0, count), ends: fields.labelEnds.slice(0, count), labels: new Array<SampleLabel>(count), hash: 0, list: this.lists.length };
    for (let j = 0; j < count; j++) {
      this.r.message(set.starts[j], set.ends[j]);
      set.labels[j] = readLabel(this.r, this.strings, i, j);
    }
    this.lists.push(set.labels);
    return set;
  }
}

function sameBytes(buf: Uint8Array, set: LabelSet, starts: readonly number[], ends: readonly number[], count: number): boolean {
  if (set.starts.length !== count) return false;
  for (let j = 0; j < count; j++) {
    const offset = set.starts[j] - starts[j];
    if (set.ends[j] - set.starts[j] !== ends[j] - starts[j]) return false;
    for (let b = starts[j]; b < ends[j]; b++) if (buf[b + offset] !== buf[b]) return false;
  }
  return true;
}

/** Numbers label arrays by identity, as SampleColumns.labelLists holds them: every empty one is list 0. */
export class LabelLists {
  readonly lists: (readonly SampleLabel[])[] = [NO_LABELS];
  private readonly numbers = new Map<readonly SampleLabel[], number>();

  of(labels: readonly SampleLabel[]): number {
    if (labels.length === 0) return 0;
    let n = this.numbers.get(labels);
    if (n === undefined) {
      this.numbers.set(labels, (n = this.lists.length));
      this.lists.push(labels);
    }
    return n;
  }
}

function readLabel(r: WireReader, strings: StringTable, i: number, j: number): SampleLabel {
  let key = 0, str = 0, num = 0, numUnit = 0;
  while (r.pos < r.end) {
    switch (r.key()) {
      case 1 * 8 + VARINT: key = r.int(); break;
      case 2 * 8 + VARINT: str = r.int(); break;
      case 3 * 8 + VARINT: num = r.int(); break;
      case 4 * 8 + VARINT: numUnit = r.int(); break;
      default: r.skip(4, 'Label');
    }
  }
  return {
    key: strings.at(key) ?? strings.refuse(key, `sample ${i} label ${j} key`),
    str: strings.at(str) ?? strings.refuse(str, `sample ${i} label ${j} value`),
    num,
    numUnit: strings.at(numUnit) ?? strings.refuse(numUnit, `sample ${i} label ${j} unit`),
  };
}

import type { SampleLabel } from './model';
import type { DecodedColumns } from './profile-columns';
import type { WireWriter } from './wire-writer';

/**
 * Writes a decoded profile's samples, locations and functions from its columns, as encodeProfileRaw
 * writes them from the model and in the same order, so both give the same bytes: encoding a decoded
 * profile then never builds its objects. `index` numbers a string in the output's string table.
 */
export class ColumnsWriter {
  /** Output string index of each of the input's string indices, -1 until met. */
  private readonly stringIndex: Int32Array;

  constructor(private readonly w: WireWriter, private readonly columns: DecodedColumns, private readonly index: (value: string) => number) {
    this.stringIndex = new Int32Array(columns.strings.count).fill(-1);
  }

  /** `settled` is called after each sample, when everything written before it is final. */
  samples(settled: () => void): void {
    const { w, index } = this;
    const { count, typeCount, stackStart, stacks, values, labelIndex, labelLists } = this.columns.samples;
    const ids = this.columns.locations.ids;
    for (let i = 0; i < count; i++) {
      const start = w.begin(2);
      w.packedIdsAt(1, ids, stacks, stackStart[i], stackStart[i + 1]);
      w.packedRange(2, values, typeCount * i, typeCount * (i + 1));
      const labels = labelLists[labelIndex[i]];
      for (let j = 0; j < labels.length; j++) writeLabel(w, labels[j], index);
      w.end(start);
      settled();
    }
  }

  /** `settled` is called after each location, when everything written before it is final. */
  locations(settled: () => void): void {
    const { w, columns: { locations, functions, mappings } } = this;
    const { count, ids, mapping, folded, lineStart, lines } = locations;
    for (let i = 0; i < count; i++) {
      const start = w.begin(4);
      w.uint(1, ids[i]);
      w.uint(2, mapping[i] < 0 ? 0 : mappings[mapping[i]].id);
      const address = locations.addressOf(i);
      if (typeof address === 'bigint') w.big(3, address);
      else w.uint(3, address);
      for (let l = 3 * lineStart[i]; l < 3 * lineStart[i + 1]; l += 3) {
        const lineStart = w.begin(4);
        w.uint(1, functions.fields[5 * lines[l]]);
        w.uint(2, lines[l + 1]);
        w.uint(3, lines[l + 2]);
        w.end(lineStart);
      }
      w.bool(5, folded[i] === 1);
      w.end(start);
      settled();
    }
  }

  functions(): void {
    const { w } = this;
    const { count, fields } = this.columns.functions;
    for (let i = 0; i < count; i++) {
      const f = 5 * i;
      const start = w.begin(5);
      w.uint(1, fields[f]);
      const name = this.string(fields[f + 1]);
      w.uint(2, name);
      w.uint(3, fields[f + 2] === fields[f + 1] ? name : this.string(fields[f + 2]));
      w.uint(4, this.string(fields[f + 3]));
      w.uint(5, fields[f + 4]);
      w.end(start);
    }
  }

  private string(i: number): number {
    if (this.stringIndex[i] < 0) this.stringIndex[i] = this.index(this.columns.strings.at(i) as string);
    return this.stringIndex[i];
  }
}

/** Writes one Label message of a sample; `index` numbers a string in the output's string table. */
export function writeLabel(w: WireWriter, label: SampleLabel, index: (value: string) => number): void {
  const start = w.begin(3);
  w.uint(1, index(label.key));
  w.uint(2, index(label.str));
  w.uint(3, label.num);
  w.uint(4, index(label.numUnit));
  w.end(start);
}

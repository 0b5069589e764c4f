import { FunctionColumns, LocationColumns } from './decode-columns';
import { SampleColumns } from './decode-sample-columns';
import { StringTable } from './decode-tables';
import { NumberList } from './lists';
import { relativeAddress, type MergeTables } from './merge-tables';
import type { Mapping } from './model';
import type { ColumnStrings, DecodedColumns } from './profile-columns';
import { addWord, avalanche } from './hash-chains';
import { isZero, SampleBatch, stackHashStart } from './sample-table';

/**
 * Adds a decoded profile's columns to the merge tables in the order ProfileMerger.add adds one built
 * as objects, so both merge alike: functions, locations and samples, nearly all of a profile, are
 * read from the typed arrays decodeProfile made, and strings stay bytes unless new to the merge.
 *
 * Hand-written beside the objects' path (ProfileAdder in merge.ts) because building every input's
 * objects was most of what merging allocated (see profile-columns.ts).
 */
export class ColumnsAdder {
  private strings: ColumnStrings | null = null;
  private mappings: readonly Mapping[] = [];
  private functions = new FunctionColumns();
  private locations = new LocationColumns();
  private samples = new SampleColumns();
  private mappingStart: number[] = [];
  private typeCount = 0;
  // What each string, mapping, function and location of the profile merged into (strings and
  // mappings: -1 until met).
  private stringMerged = new Int32Array(0);
  private mappingMerged = new Int32Array(0);
  private functionMerged = new Int32Array(0);
  private locationMerged = new Int32Array(0);
  /** The merge's label set of each of the profile's label lists (-1: not yet). */
  private labelSetOf = new Int32Array(0);
  private readonly batch = new SampleBatch();
  private readonly lines = new NumberList();

  /** Adds the samples of a decoded profile's columns to the tables. */
  add(columns: DecodedColumns, tables: MergeTables): void {
    ({ strings: this.strings, mappings: this.mappings, functions: this.functions, locations: this.locations, samples: this.samples } = columns);
    this.typeCount = columns.samples.typeCount;
    this.stringMerged = new Int32Array(this.strings?.count ?? 0).fill(-1);
    this.mappingMerged = new Int32Array(this.mappings.length).fill(-1);
    this.functionMerged = new Int32Array(this.functions.count);
    this.locationMerged = new Int32Array(this.locations.count);
    this.mappingStart = this.mappings.map((m) => Number(m.memoryStart));
    this.labelSetOf = new Int32Array(this.samples.labelLists.length).fill(-1);
    if (tables.mainMapping < 0 && this.mappings.length > 0) tables.mainMapping = this.mapping(tables, 0);
    // Every function, then every location, in the profile's order, and only then the stacks, by a
    // lookup with no call or branch in their loop. Merged as the stacks first met them, the samples
    // of the 60 large profiles took 540-595 ms to add, against 505-527 ms (interleaved runs); the
    // order they are interned in does not change the result, which compact.ts numbers.
    for (let i = 0; i < this.functions.count; i++) this.functionMerged[i] = this.func(tables, i);
    for (let i = 0; i < this.locations.count; i++) this.locationMerged[i] = this.location(tables, i);
    const { locationMerged, batch } = this;
    const { stackStart, stacks, values, labelIndex, labelLists } = this.samples;
    const n = this.typeCount;
    batch.reset(this.samples.count, stackStart[this.samples.count], n, labelLists);
    const batchStacks = batch.stacks;
    let used = 0;
    for (let i = 0; i < this.samples.count; i++) {
      const start = stackStart[i];
      const end = stackStart[i + 1];
      if (end === start || isZero(values, n * i, n)) continue;
      const labelSet = this.labelSet(tables, labelIndex[i]);
      // stackHash, taken here while the stack is at hand rather than in a pass of its own.
      let hash = stackHashStart(labelSet, end - start);
      for (let j = start; j < end; j++) {
        const merged = locationMerged[stacks[j]];
        batchStacks[used++] = merged;
        hash = addWord(hash, merged);
      }
      const k = batch.count++;
      batch.stackStart[k + 1] = used;
      batch.labelSets[k] = labelSet;
      batch.hashes[k] = avalanche(hash);
      batch.labelIndex[k] = labelIndex[i];
      for (let j = 0; j < n; j++) batch.values[n * k + j] = values[n * i + j];
    }
    tables.samples.addAll(batch);
  }

  private labelSet(tables: MergeTables, list: number): number {
    if (this.labelSetOf[list] < 0) this.labelSetOf[list] = tables.samples.labelSetId(this.samples.labelLists[list]);
    return this.labelSetOf[list];
  }

  /** The merged index of location `i`, whose functions are merged already. */
  private location(tables: MergeTables, i: number): number {
    const { mapping, folded, lineStart, lines } = this.locations;
    const m = mapping[i];
    const merged = m < 0 ? -1 : this.mapping(tables, m);
    this.lines.count = 0;
    for (let j = 3 * lineStart[i]; j < 3 * lineStart[i + 1]; j += 3) {
      this.lines.push(this.functionMerged[lines[j]]);
      this.lines.push(lines[j + 1]);
      this.lines.push(lines[j + 2]);
    }
    const address = this.locations.addressOf(i);
    const relative = m < 0 ? relativeAddress(address, null) : relativeAddress(address, this.mappings[m], this.mappingStart[m]);
    return tables.locations.intern(merged, relative, folded[i] === 1, this.lines);
  }

  private mapping(tables: MergeTables, i: number): number {
    if (this.mappingMerged[i] < 0) this.mappingMerged[i] = tables.mapping(this.mappings[i]);
    return this.mappingMerged[i];
  }

  /** The merged index of function `i`. */
  private func(tables: MergeTables, i: number): number {
    const f = this.functions.fields;
    const name = this.string(tables, f[5 * i + 1]);
    const systemName = f[5 * i + 2] === f[5 * i + 1] ? name : this.string(tables, f[5 * i + 2]);
    return tables.functions.intern(name, systemName, this.string(tables, f[5 * i + 3]), f[5 * i + 4]);
  }

  private string(tables: MergeTables, i: number): number {
    if (this.stringMerged[i] < 0) {
      const strings = this.strings as ColumnStrings;
      // A decoded profile's strings are matched by their bytes; a merged profile's are strings already.
      this.stringMerged[i] = strings instanceof StringTable ? tables.strings.internEncoded(strings, i) : tables.strings.intern(strings.at(i) as string);
    }
    return this.stringMerged[i];
  }
}

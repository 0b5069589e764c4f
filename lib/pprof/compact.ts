import { FunctionColumns, LocationColumns } from './decode-columns';
import { IdIndex } from './decode-tables';
import type { MergeTables } from './merge-tables';
import type { Mapping } from './model';
import type { DecodedColumns } from './profile-columns';

/**
 * The merged profile's columns, as pprof's Compact leaves them: only the mappings, locations and
 * functions a sample with a non-zero value reaches, numbered from 1 in the order pprof gives them
 * (mapping, then functions, then location, as samples reference them). Columns rather than objects:
 * the merge of 60 large synthetic profiles has 394,770 samples, and with an object and two arrays for
 * each, building the result took a median of 380 ms; as columns it takes 78 ms (same process, warm).
 */
export function compactColumns(tables: MergeTables): DecodedColumns {
  return new CompactingBuilder(tables).build();
}

class CompactingBuilder {
  private readonly mappings: Mapping[] = [];
  /** Each merged mapping's, location's and function's output position, -1 until a sample reaches it. */
  private readonly mappingOut: Int32Array;
  private readonly locationOut: Int32Array;
  private readonly functionOut: Int32Array;
  /** Each merged mapping's start as a number, for the usual addresses that stay exact as numbers. */
  private readonly mappingStart: number[];
  private readonly locations = new LocationColumns();
  private readonly functions = new FunctionColumns();

  constructor(private readonly tables: MergeTables) {
    const { mappings, locations, functions } = tables;
    this.mappingOut = new Int32Array(mappings.length).fill(-1);
    this.locationOut = new Int32Array(locations.count).fill(-1);
    this.functionOut = new Int32Array(functions.count).fill(-1);
    this.mappingStart = mappings.map((m) => Number(m.memoryStart));
    // Room for every merged entity: all but those only zero samples reach are kept.
    const out = this.locations;
    out.ids = new Float64Array(locations.count);
    out.mapping = new Int32Array(locations.count);
    out.address = new Float64Array(locations.count);
    out.folded = new Uint8Array(locations.count);
    out.lineStart = new Int32Array(locations.count + 1);
    out.lines = new Float64Array(3 * locations.lineStart[locations.count]);
    this.functions.fields = new Float64Array(5 * functions.count);
  }

  build(): DecodedColumns {
    const { tables, locationOut } = this;
    if (tables.mainMapping >= 0) this.mapping(tables.mainMapping);
    const samples = tables.samples.nonZeroColumns();
    const { stacks } = samples;
    for (let k = 0; k < stacks.length; k++) {
      const out = locationOut[stacks[k]];
      stacks[k] = out >= 0 ? out : this.location(stacks[k]);
    }
    const { locations, functions } = this;
    locations.index = new IdIndex(locations.count, (i) => locations.ids[i], 'location');
    functions.index = new IdIndex(functions.count, (i) => functions.fields[5 * i], 'function');
    return { strings: tables.strings, mappings: this.mappings, functions, locations, samples };
  }

  private mapping(i: number): number {
    if (this.mappingOut[i] < 0) this.mappingOut[i] = this.mappings.push({ ...this.tables.mappings[i], id: this.mappings.length + 1 }) - 1;
    return this.mappingOut[i];
  }

  /** The output position of merged location `i`, its address moved into its output mapping. */
  private location(i: number): number {
    const table = this.tables.locations;
    const out = this.locations;
    const merged = table.mapping[i];
    const mapping = merged >= 0 ? this.mapping(merged) : -1;
    const k = out.count++;
    let line = out.lineStart[k];
    for (let at = 3 * table.lineStart[i]; at < 3 * table.lineStart[i + 1]; at += 3, line++) {
      out.lines[3 * line] = this.func(table.lines[at]);
      out.lines[3 * line + 1] = table.lines[at + 1];
      out.lines[3 * line + 2] = table.lines[at + 2];
    }
    out.lineStart[k + 1] = line;
    out.ids[k] = k + 1;
    out.mapping[k] = mapping;
    out.setAddress(k, merged >= 0 ? this.absolute(table.address[i], merged) : table.address[i]);
    out.folded[k] = table.folded[i];
    return (this.locationOut[i] = k);
  }

  /**
   * The address `relative` to merged mapping `m`, moved back into it: a number when exact, else a
   * bigint, wrapping as pprof's uint64 arithmetic does when an address lay below its mapping's start.
   */
  private absolute(relative: number | bigint, m: number): number | bigint {
    if (typeof relative === 'number') {
      const sum = relative + this.mappingStart[m];
      if (sum >= 0 && Number.isSafeInteger(sum) && Number.isSafeInteger(this.mappingStart[m])) return sum;
    }
    const exact = BigInt.asUintN(64, BigInt(relative) + this.tables.mappings[m].memoryStart);
    return exact <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(exact) : exact;
  }

  private func(i: number): number {
    if (this.functionOut[i] < 0) {
      const k = (this.functionOut[i] = this.functions.count++);
      this.tables.functions.writeFields(i, k + 1, this.functions.fields, 5 * k);
    }
    return this.functionOut[i];
  }
}

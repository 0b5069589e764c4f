import type { LocationTable } from './location-table';
import type { MergeTables } from './merge-tables';
import type { Func, Line, Location, Mapping } from './model';

/**
 * Builds the output entities of a merged profile on first use, so IDs run from 1 in the order pprof
 * gives them (mapping, then functions, then location, as samples reference them) and nothing that no
 * sample reaches survives.
 */
export class CompactingBuilder {
  readonly mappings: Mapping[] = [];
  readonly functions: Func[] = [];
  readonly locations: Location[] = [];
  private readonly mappingOut: Mapping[] = [];
  private readonly functionOut: Func[] = [];
  private readonly locationOut: Location[] = [];

  private readonly table: LocationTable;

  constructor(private readonly tables: MergeTables) {
    this.table = tables.locations;
  }

  /** The output mapping for merged mapping `i`. */
  mapping(i: number): Mapping {
    if (!this.mappingOut[i]) this.mappings.push((this.mappingOut[i] = { ...this.tables.mappings[i], id: this.mappings.length + 1 }));
    return this.mappingOut[i];
  }

  /** The output location for merged location `i`, its address moved into its output mapping. */
  location(i: number): Location {
    const done = this.locationOut[i];
    if (done) return done;
    const { table } = this;
    const mapping = table.mapping[i] >= 0 ? this.mapping(table.mapping[i]) : null;
    const lines = new Array<Line>(table.lineStart[i + 1] - table.lineStart[i]);
    for (let j = 0, at = 3 * table.lineStart[i]; j < lines.length; j++, at += 3) {
      lines[j] = { fn: this.func(table.lines[at]), line: table.lines[at + 1], column: table.lines[at + 2] };
    }
    const relative = BigInt(table.address[i]);
    // Wraps as pprof's uint64 arithmetic does when an address lay below its mapping's start.
    const address = mapping ? BigInt.asUintN(64, relative + mapping.memoryStart) : relative;
    const location = { id: this.locations.length + 1, mapping, address, lines, isFolded: table.folded[i] === 1 };
    this.locations.push((this.locationOut[i] = location));
    return location;
  }

  private func(i: number): Func {
    if (!this.functionOut[i]) this.functions.push((this.functionOut[i] = this.tables.functions.toFunc(i, this.functions.length + 1, this.tables.strings)));
    return this.functionOut[i];
  }
}

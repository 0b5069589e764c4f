import { FunctionColumns, LocationColumns } from './decode-columns';
import { SampleColumns } from './decode-sample-columns';
import { LabelLists } from './decode-samples';
import { atLeast, grow } from './lists';
import type { Func, Location, Mapping, Profile } from './model';
import type { ProfileColumns } from './profile-columns';

/**
 * The columns of a profile built as objects (a merge's result, a scaled copy), so top and the call
 * tree have one way to read every profile. Entities are numbered in the order samples reach them,
 * by identity, as the model's references are; strings are numbered as met. Ids are copied but not
 * indexed: a model built by hand may repeat them.
 */
export function columnsFromModel(profile: Profile): ProfileColumns {
  const builder = new ColumnsBuilder(profile);
  return builder.build();
}

class ColumnsBuilder {
  private readonly strings: string[] = [''];
  private readonly stringIndex = new Map<string, number>([['', 0]]);
  /** The profile's mappings, then any a location references that the profile does not list. */
  private readonly mappings: Mapping[];
  private readonly mappingIndex = new Map<Mapping, number>();
  private readonly functionIndex = new Map<Func, number>();
  private readonly locationIndex = new Map<Location, number>();
  private readonly functions = new FunctionColumns();
  private readonly locations = new LocationColumns();
  private readonly samples = new SampleColumns();
  private lineCount = 0;

  constructor(private readonly profile: Profile) {
    this.mappings = [...profile.mappings];
    this.mappings.forEach((m, i) => this.mappingIndex.set(m, i));
  }

  build(): ProfileColumns {
    const { profile, samples } = this;
    const typeCount = profile.sampleTypes.length;
    samples.count = profile.samples.length;
    samples.typeCount = typeCount;
    samples.stackStart = atLeast(samples.stackStart, samples.count + 1);
    samples.values = atLeast(samples.values, typeCount * samples.count);
    samples.labelIndex = atLeast(samples.labelIndex, samples.count);
    const labelLists = new LabelLists();
    let used = 0;
    profile.samples.forEach((sample, i) => {
      if (used + sample.locations.length > samples.stacks.length) samples.stacks = grow(samples.stacks, used + sample.locations.length);
      for (const location of sample.locations) samples.stacks[used++] = this.locationIndex.get(location) ?? this.addLocation(location);
      samples.stackStart[i + 1] = used;
      for (let j = 0; j < typeCount; j++) samples.values[typeCount * i + j] = sample.values[j];
      samples.labelIndex[i] = labelLists.of(sample.labels);
    });
    samples.labelLists = labelLists.lists;
    return { strings: this.strings, mappings: this.mappings, functions: this.functions, locations: this.locations, samples };
  }

  private addLocation(location: Location): number {
    const columns = this.locations;
    const i = columns.count++;
    this.locationIndex.set(location, i);
    if (columns.count + 1 > columns.ids.length) {
      columns.ids = grow(columns.ids, columns.count);
      columns.mapping = grow(columns.mapping, columns.count);
      columns.address = grow(columns.address, columns.count);
      columns.folded = grow(columns.folded, columns.count);
      columns.lineStart = grow(columns.lineStart, columns.count + 1);
    }
    columns.ids[i] = location.id;
    columns.mapping[i] = location.mapping ? this.mapping(location.mapping) : -1;
    columns.setAddress(i, location.address <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(location.address) : location.address);
    columns.folded[i] = location.isFolded ? 1 : 0;
    if (3 * (this.lineCount + location.lines.length) > columns.lines.length) columns.lines = grow(columns.lines, 3 * (this.lineCount + location.lines.length));
    for (const line of location.lines) {
      columns.lines[3 * this.lineCount] = this.functionIndex.get(line.fn) ?? this.addFunction(line.fn);
      columns.lines[3 * this.lineCount + 1] = line.line;
      columns.lines[3 * this.lineCount + 2] = line.column;
      this.lineCount++;
    }
    columns.lineStart[i + 1] = this.lineCount;
    return i;
  }

  private mapping(m: Mapping): number {
    return intern(this.mappingIndex, this.mappings, m);
  }

  private addFunction(fn: Func): number {
    const columns = this.functions;
    const i = columns.count++;
    this.functionIndex.set(fn, i);
    if (5 * columns.count > columns.fields.length) columns.fields = grow(columns.fields, 5 * columns.count);
    const f = 5 * i;
    columns.fields[f] = fn.id;
    columns.fields[f + 1] = this.string(fn.name);
    columns.fields[f + 2] = this.string(fn.systemName);
    columns.fields[f + 3] = this.string(fn.filename);
    columns.fields[f + 4] = fn.startLine;
    return i;
  }

  private string(value: string): number {
    return intern(this.stringIndex, this.strings, value);
  }
}

/** The position of `value` in `list`, appending it when new. */
function intern<T>(index: Map<T, number>, list: T[], value: T): number {
  let i = index.get(value);
  if (i === undefined) index.set(value, (i = list.push(value) - 1));
  return i;
}

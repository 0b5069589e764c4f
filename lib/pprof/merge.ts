import type { ProfileHeader } from './decode-scan';
import { NumberList } from './lists';
import { ColumnsAdder } from './merge-columns';
import { HeaderCombiner } from './merge-header';
import { MergeTables, relativeAddress } from './merge-tables';
import type { Func, Location, Mapping, Profile, SampleLabel } from './model';
import { decodedColumnsOf } from './profile-columns';
import { isZero } from './sample-table';
import { scaleProfile } from './scale';

/**
 * Merges profiles with google/pprof's `profile.Merge` semantics, so one merged view of many scrapes
 * shows what `go tool pprof` shows for them:
 * - sample types must be the same types and units in the same order, and period types equal, or a
 *   ProfileError `incompatible` names both;
 * - identical stacks with identical labels become one sample with summed values; samples whose values
 *   are all zero, or that have no stack at all, are dropped (pprof's `-raw` shows neither);
 * - functions, mappings and locations are deduplicated as pprof keys them and renumbered from 1, and
 *   only those a surviving sample references are kept (the first profile's first mapping, by
 *   convention the main binary, always is);
 * - `timeNanos` is the earliest non-zero start, `durationNanos` the sum of durations (the time
 *   profiled, as pprof does, not the wall-clock span), `period` the largest, comments deduplicated in
 *   order, `defaultSampleType` kept when the profiles agree on it, other fields from the first profile.
 *
 * Merging one profile normalises it (pprof's Compact). Inputs are not modified.
 */
export function mergeProfiles(profiles: readonly Profile[]): Profile {
  const merger = new ProfileMerger();
  for (const profile of profiles) merger.add(profile);
  return merger.result();
}

/**
 * What changed from `base` to `other`: `other` merged with `base` scaled by −1, as pprof's `-base`
 * and `-diff_base` compute it. Stacks present in both cancel out; positive values grew, negative
 * shrank. Unlike `-diff_base`, base samples are not labelled `pprof::base` (that label keeps them
 * from cancelling); percentages of the base come from `totals(base)`.
 */
export function diffProfiles(base: Profile, other: Profile): Profile {
  return mergeProfiles([other, scaleProfile(base, -1)]);
}

/**
 * Merges profiles one at a time, so a caller streaming many from storage holds one profile at a time
 * rather than all of them. A decoded profile (decodeProfile's, or lib/threads' decoding thread's) is
 * added from its columns without building its objects: the way to merge many.
 */
export class ProfileMerger {
  private tables: MergeTables | null = null;
  private readonly header = new HeaderCombiner();
  private readonly columns = new ColumnsAdder();

  /**
   * Adds a profile, refusing one whose sample or period types differ from the first profile's; a
   * refused profile leaves the merge as it was.
   */
  add(profile: Profile): void {
    this.header.add(profile);
    const columns = decodedColumnsOf(profile);
    if (columns === undefined) new ProfileAdder(this.tablesFor(profile), profile).add();
    else this.columns.add(columns, this.tablesFor(profile));
  }

  /** The merged profile of everything added so far. */
  result(): Profile {
    const header = this.header.result();
    return this.tablesFor(header).build(header);
  }

  private tablesFor(header: ProfileHeader): MergeTables {
    return (this.tables ??= new MergeTables(header.sampleTypes.length));
  }
}

/**
 * Adds one decoded profile's samples to the tables, remembering per ID what each entity merged into
 * (pprof memoises by ID too: within one profile an ID names one entity).
 */
class ProfileAdder {
  private readonly mappingById = new Map<number, number>();
  private readonly functionById: IdMemo;
  private readonly locationById: IdMemo;
  private readonly labelSets = new Map<readonly SampleLabel[], number>();
  private stack = new Int32Array(256);
  private readonly lines = new NumberList();

  constructor(private readonly tables: MergeTables, private readonly profile: Profile) {
    this.functionById = new IdMemo(profile.functions.length + 1);
    this.locationById = new IdMemo(profile.locations.length + 1);
  }

  add(): void {
    const { profile } = this;
    if (this.tables.mainMapping < 0 && profile.mappings.length > 0) this.tables.mainMapping = this.mapping(profile.mappings[0]);
    for (const { locations, values, labels } of profile.samples) {
      const depth = locations.length;
      if (depth === 0 || isZero(values)) continue;
      if (this.stack.length < depth) this.stack = new Int32Array(depth * 2);
      for (let i = 0; i < depth; i++) this.stack[i] = this.location(locations[i]);
      this.tables.samples.add(this.stack, depth, this.labelSet(labels), labels, values);
    }
  }

  private labelSet(labels: readonly SampleLabel[]): number {
    if (labels.length === 0) return 0;
    let id = this.labelSets.get(labels);
    if (id === undefined) this.labelSets.set(labels, (id = this.tables.samples.labelSetId(labels)));
    return id;
  }

  private location(loc: Location): number {
    const known = this.locationById.get(loc.id);
    if (known >= 0) return known;
    const mapping = loc.mapping ? this.mapping(loc.mapping) : -1;
    const lines = this.lines;
    lines.count = 0;
    for (const line of loc.lines) {
      lines.push(this.func(line.fn));
      lines.push(line.line);
      lines.push(line.column);
    }
    const index = this.tables.locations.intern(mapping, relativeAddress(loc.address, loc.mapping), loc.isFolded, lines);
    this.locationById.set(loc.id, index);
    return index;
  }

  private mapping(m: Mapping): number {
    let index = this.mappingById.get(m.id);
    if (index === undefined) this.mappingById.set(m.id, (index = this.tables.mapping(m)));
    return index;
  }

  private func(f: Func): number {
    let index = this.functionById.get(f.id);
    if (index < 0) {
      const { strings, functions } = this.tables;
      const name = strings.intern(f.name);
      const systemName = f.systemName === f.name ? name : strings.intern(f.systemName);
      this.functionById.set(f.id, (index = functions.intern(name, systemName, strings.intern(f.filename), f.startLine)));
    }
    return index;
  }
}

/** A source profile's ID → merged index: an array for the usual IDs 1..n, a map for any others. */
class IdMemo {
  private readonly dense: Int32Array;
  private readonly sparse = new Map<number, number>();

  constructor(size: number) {
    this.dense = new Int32Array(size).fill(-1);
  }

  get(id: number): number {
    return id < this.dense.length ? this.dense[id] : (this.sparse.get(id) ?? -1);
  }

  set(id: number, index: number): void {
    if (id < this.dense.length) this.dense[id] = index;
    else this.sparse.set(id, index);
  }
}

import { CompactingBuilder, FunctionTable, LocationTable, SampleTable } from './compact';
import { ProfileError } from './errors';
import type { Func, Location, Mapping, Profile, Sample, ValueType } from './model';
import { formatSampleType } from './sample-types';
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
 * Merges profiles one at a time, so a caller streaming many from storage holds one decoded profile at
 * a time rather than all of them.
 */
export class ProfileMerger {
  private first: Profile | null = null;
  private tables: MergeTables | null = null;
  private readonly header = new HeaderCombiner();

  /** Adds a profile, refusing one whose sample or period types differ from the first profile's. */
  add(profile: Profile): void {
    if (this.first) checkCompatible(this.first, profile, this.header.count);
    else this.first = profile;
    this.header.add(profile);
    this.tables ??= new MergeTables(profile.sampleTypes.length);
    this.tables.addProfile(profile);
  }

  /** The merged profile of everything added so far. */
  result(): Profile {
    if (!this.first || !this.tables) throw new ProfileError('invalid_value', 'no profiles to merge');
    return this.tables.build(this.header.result(this.first));
  }
}

function checkCompatible(first: Profile, next: Profile, position: number): void {
  const types = (p: Profile) => `[${p.sampleTypes.map(formatSampleType).join(' ')}]`;
  const sameTypes =
    first.sampleTypes.length === next.sampleTypes.length &&
    first.sampleTypes.every((t, i) => sameValueType(t, next.sampleTypes[i]));
  if (!sameTypes) {
    throw new ProfileError('incompatible', `cannot merge profiles with sample types ${types(first)} and ${types(next)} (profile ${position + 1})`);
  }
  if (!sameValueType(first.periodType, next.periodType)) {
    const period = (p: Profile) => (p.periodType ? formatSampleType(p.periodType) : 'none');
    throw new ProfileError('incompatible', `cannot merge profiles with period types ${period(first)} and ${period(next)} (profile ${position + 1})`);
  }
}

/** pprof treats a missing period type as an empty one. */
function sameValueType(a: ValueType | null, b: ValueType | null): boolean {
  return (a?.type ?? '') === (b?.type ?? '') && (a?.unit ?? '') === (b?.unit ?? '');
}

/** Everything in a profile but its samples and the entities they reference. */
type ProfileHeader = Omit<Profile, 'samples' | 'mappings' | 'locations' | 'functions'>;

/** Combines the header fields of the profiles being merged, as pprof's combineHeaders does. */
class HeaderCombiner {
  count = 0;
  private timeNanos = 0n;
  private durationNanos = 0;
  private period = 0;
  private readonly comments = new Set<string>();
  private readonly defaults = new Set<string>();
  private docUrl = '';

  add(p: Profile): void {
    this.count++;
    if (this.timeNanos === 0n || (p.timeNanos !== 0n && p.timeNanos < this.timeNanos)) this.timeNanos = p.timeNanos;
    this.durationNanos += p.durationNanos;
    this.period = Math.max(this.period, p.period);
    for (const comment of p.comments) this.comments.add(comment);
    if (p.defaultSampleType !== '') this.defaults.add(p.defaultSampleType);
    this.docUrl ||= p.docUrl;
  }

  result(first: Profile): ProfileHeader {
    return {
      sampleTypes: first.sampleTypes,
      defaultSampleType: this.defaults.size === 1 ? [...this.defaults][0] : '',
      dropFrames: first.dropFrames,
      keepFrames: first.keepFrames,
      timeNanos: this.timeNanos,
      durationNanos: this.durationNanos,
      periodType: first.periodType,
      period: this.period,
      comments: [...this.comments],
      docUrl: this.docUrl,
    };
  }
}

/**
 * The merge tables plus, per source profile, memos from its IDs to merged indices (pprof memoises by
 * ID too: within one profile an ID names one entity).
 */
class MergeTables {
  private readonly mappings = new Map<string, number>();
  private readonly mappingValues: Mapping[] = [];
  private readonly functions = new FunctionTable();
  private readonly locations = new LocationTable();
  private readonly samples: SampleTable;
  private mainMapping = -1;
  private mappingById = new Map<number, number>();
  private functionById = new IdMemo(0);
  private locationById = new IdMemo(0);
  private stack = new Int32Array(256);
  private readonly lines: number[] = [];

  constructor(typeCount: number) {
    this.samples = new SampleTable(typeCount);
  }

  addProfile(profile: Profile): void {
    this.mappingById = new Map();
    this.functionById = new IdMemo(profile.functions.length + 1);
    this.locationById = new IdMemo(profile.locations.length + 1);
    // pprof puts the first mapping it sees first: by convention it is the main binary.
    if (this.mainMapping < 0 && profile.mappings.length > 0) this.mainMapping = this.mapping(profile.mappings[0]);
    for (const sample of profile.samples) this.addSample(sample);
  }

  build(header: ProfileHeader): Profile {
    const out = new CompactingBuilder(this.mappingValues, this.functions.values, this.locations);
    if (this.mainMapping >= 0) out.mapping(this.mainMapping);
    const samples: Sample[] = [];
    this.samples.forEachNonZero((stack, start, depth, labels, values) => {
      const locations = new Array<Location>(depth);
      for (let i = 0; i < depth; i++) locations[i] = out.location(stack[start + i]);
      samples.push({ locations, values, labels });
    });
    return { ...header, samples, mappings: out.mappings, locations: out.locations, functions: out.functions };
  }

  private addSample(sample: Sample): void {
    const { locations, values } = sample;
    const depth = locations.length;
    if (depth === 0 || isZero(values)) return;
    if (this.stack.length < depth) this.stack = new Int32Array(depth * 2);
    for (let i = 0; i < depth; i++) this.stack[i] = this.location(locations[i]);
    this.samples.add(this.stack, depth, sample.labels, values);
  }

  private location(loc: Location): number {
    const known = this.locationById.get(loc.id);
    if (known >= 0) return known;
    const mapping = loc.mapping ? this.mapping(loc.mapping) : -1;
    const lines = this.lines;
    lines.length = 0;
    for (const line of loc.lines) lines.push(this.func(line.fn), line.line, line.column);
    const index = this.locations.intern(mapping, relativeAddress(loc), loc.isFolded, lines);
    this.locationById.set(loc.id, index);
    return index;
  }

  private mapping(m: Mapping): number {
    let index = this.mappingById.get(m.id);
    if (index === undefined) {
      const key = mappingKey(m);
      index = this.mappings.get(key);
      if (index === undefined) this.mappings.set(key, (index = this.mappingValues.push(m) - 1));
      this.mappingById.set(m.id, index);
    }
    return index;
  }

  private func(f: Func): number {
    let index = this.functionById.get(f.id);
    if (index < 0) {
      index = this.functions.intern(f);
      this.functionById.set(f.id, index);
    }
    return index;
  }
}

/** pprof's mapping key: size rounded up to 4 KiB (load addresses vary), offset, and build ID or else file. */
function mappingKey(m: Mapping): string {
  const size = BigInt.asUintN(64, m.memoryLimit - m.memoryStart + 0xfffn);
  return `${size - (size % 0x1000n)}/${m.fileOffset}/${m.buildId !== '' ? m.buildId : m.file}`;
}

/**
 * The address relative to the location's mapping, so the same code loaded elsewhere (ASLR) is one
 * location: a number when exact, which spares a bigint per location, else a bigint.
 */
function relativeAddress(loc: Location): number | bigint {
  const address = Number(loc.address);
  const start = loc.mapping ? Number(loc.mapping.memoryStart) : 0;
  if (Number.isSafeInteger(address) && Number.isSafeInteger(start)) return address - start;
  const exact = loc.mapping ? loc.address - loc.mapping.memoryStart : loc.address;
  return Number.isSafeInteger(Number(exact)) ? Number(exact) : exact;
}

function isZero(values: readonly number[]): boolean {
  for (const v of values) if (v !== 0) return false;
  return true;
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

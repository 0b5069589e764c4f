import { compactColumns } from './compact';
import type { ProfileHeader } from './decode-scan';
import { HashChains, mix } from './hash-chains';
import { grow } from './lists';
import { LocationTable } from './location-table';
import type { Mapping, Profile } from './model';
import { columnarProfile } from './profile-columns';
import { SampleTable } from './sample-table';
import { StringPool } from './string-pool';

/**
 * Everything merged so far, each entity deduplicated as pprof keys it. Both ways in, a profile's
 * columns (merge-columns.ts) and its objects (merge.ts), merge to the same profile: they add samples
 * in the same order, and the result numbers entities by where the samples first reach them
 * (compact.ts), whatever order they were interned in.
 */
export class MergeTables {
  readonly strings = new StringPool();
  readonly mappings: Mapping[] = [];
  readonly functions = new FunctionTable();
  readonly locations = new LocationTable();
  readonly samples: SampleTable;
  /** The first profile's first mapping, by convention the main binary: pprof puts it first. */
  mainMapping = -1;
  private readonly mappingKeys = new Map<string, number>();

  constructor(typeCount: number) {
    this.samples = new SampleTable(typeCount);
  }

  /** The index of the mapping pprof would merge `m` into, adding `m` when there is none. */
  mapping(m: Mapping): number {
    const key = mappingKey(m);
    let index = this.mappingKeys.get(key);
    if (index === undefined) this.mappingKeys.set(key, (index = this.mappings.push(m) - 1));
    return index;
  }

  /** The merged profile: only what some sample with a non-zero value reaches, numbered from 1. */
  build(header: ProfileHeader): Profile {
    return columnarProfile(header, compactColumns(this));
  }
}

/** pprof's mapping key: size rounded up to 4 KiB (load addresses vary), offset, and build ID or else file. */
function mappingKey(m: Mapping): string {
  const size = BigInt.asUintN(64, m.memoryLimit - m.memoryStart + 0xfffn);
  return `${size - (size % 0x1000n)}/${m.fileOffset}/${m.buildId !== '' ? m.buildId : m.file}`;
}

/**
 * The address relative to its mapping, so the same code loaded elsewhere (ASLR) is one location: a
 * number when exact, which spares a bigint per location, else a bigint. `start` is the mapping's
 * start as a number, for callers that convert it once per mapping.
 */
export function relativeAddress(address: number | bigint, mapping: Mapping | null, start = mapping ? Number(mapping.memoryStart) : 0): number | bigint {
  const approx = Number(address);
  if (Number.isSafeInteger(approx) && Number.isSafeInteger(start)) return approx - start;
  const exact = mapping ? BigInt(address) - mapping.memoryStart : BigInt(address);
  return Number.isSafeInteger(Number(exact)) ? Number(exact) : exact;
}

/**
 * Functions deduplicated by (name, system name, file name, start line), the strings as StringPool
 * numbers: hashing four numbers is what makes interning every function of every profile cheap.
 */
export class FunctionTable {
  count = 0;
  /** (name, system name, file name, start line) of each function. */
  private fields = new Float64Array(4 * 1024);
  private readonly chains = new HashChains();

  /** The index of the function with these fields, adding it when new. */
  intern(name: number, systemName: number, filename: number, startLine: number): number {
    const hash = mix(mix(mix(mix(0, name), systemName), filename), startLine);
    for (let i = this.chains.first(hash); i >= 0; i = this.chains.next(i)) {
      const at = 4 * i;
      const f = this.fields;
      if (f[at] === name && f[at + 1] === systemName && f[at + 2] === filename && f[at + 3] === startLine) return i;
    }
    const i = this.count++;
    if (4 * this.count > this.fields.length) this.fields = grow(this.fields, 4 * this.count);
    this.fields[4 * i] = name;
    this.fields[4 * i + 1] = systemName;
    this.fields[4 * i + 2] = filename;
    this.fields[4 * i + 3] = startLine;
    this.chains.add(hash, i);
    return i;
  }

  /** Writes function `i` as (id, name, system name, file name, start line) into `out` at `at`. */
  writeFields(i: number, id: number, out: Float64Array, at: number): void {
    const f = this.fields;
    out[at] = id;
    out[at + 1] = f[4 * i];
    out[at + 2] = f[4 * i + 1];
    out[at + 3] = f[4 * i + 2];
    out[at + 4] = f[4 * i + 3];
  }
}

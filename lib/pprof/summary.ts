import { unwrapProfileBytes, DEFAULT_MAX_PROFILE_BYTES } from './container';
import { FunctionColumns, LocationColumns } from './decode-columns';
import { SampleColumns } from './decode-sample-columns';
import { NO_LABELS } from './decode-samples';
import { decodeAll, readHeader, Scan } from './decode-scan';
import { indexById, readMapping, readValueType, StringTable } from './decode-tables';
import type { DecodeOptions } from './decode';
import type { Profile, ValueType } from './model';
import { totals } from './sample-types';
import { WireReader } from './wire';

/** What storage keeps beside a profile's blob, so timelines and totals never read blobs. */
export interface ProfileSummary {
  readonly sampleTypes: readonly ValueType[];
  readonly defaultSampleType: string;
  readonly durationNanos: number;
  readonly periodType: ValueType | null;
  readonly period: number;
  /** The signed sum of every sample's value per sample type, in sample-type order (as `totals`). */
  readonly totals: readonly number[];
}

/** The summary of a profile already decoded. */
export function summaryOf(profile: Profile): ProfileSummary {
  const { sampleTypes, defaultSampleType, durationNanos, periodType, period } = profile;
  return { sampleTypes, defaultSampleType, durationNanos, periodType, period, totals: totals(profile) };
}

/**
 * Above this many raw bytes a profile is read with columns of its own, so one huge profile does not
 * keep its columns' memory for the life of the process; real profiles are far below it.
 */
const REUSED_READER_MAX_BYTES = 8 * 1024 * 1024;
let reused: SummaryReader | null = null;

/**
 * Checks a pprof profile (gzip-compressed or raw protobuf) exactly as decodeProfile does, refusing it
 * with the same ProfileError, and returns its summary without building the model.
 *
 * Written beside decodeProfile for the worker, which stores every scraped profile as it came and needs
 * only this summary: the model's objects cost more than the reading (2.2 ms a profile in
 * bench/worker.bench.ts, and most of the worker's garbage collection). Functions, locations and samples
 * are read into typed-array columns reused from profile to profile, as the merge of encoded profiles
 * reads them.
 */
export function summarizeProfile(bytes: Uint8Array, options: DecodeOptions = {}): ProfileSummary {
  const raw = unwrapProfileBytes(bytes, options.maxBytes ?? DEFAULT_MAX_PROFILE_BYTES);
  if (raw.length > REUSED_READER_MAX_BYTES) return new SummaryReader().read(raw);
  return (reused ??= new SummaryReader()).read(raw);
}

/** The columns one profile is read into, in the order and with the checks of decodeProfile. */
class SummaryReader {
  private readonly scan = new Scan();
  private readonly functions = new FunctionColumns();
  private readonly locations = new LocationColumns();
  private readonly samples = new SampleColumns();

  read(raw: Uint8Array): ProfileSummary {
    const r = new WireReader(raw);
    const scan = this.scan.read(r);
    const strings = new StringTable(r, scan.strings);
    const sampleTypes = decodeAll(r, scan.sampleTypes, (i) => readValueType(r, strings, `sample_type ${i}`));
    const mappings = decodeAll(r, scan.mappings, (i) => readMapping(r, strings, i));
    this.functions.read(r, scan.functions, strings);
    this.locations.read(r, scan.locations, indexById(mappings, 'mapping'), this.functions.index);
    const samples = this.samples;
    samples.read(r, scan.samples, strings, sampleTypes.length, this.locations.index);
    const { defaultSampleType, durationNanos, periodType, period } = readHeader(r, scan, strings, sampleTypes);
    // The label arrays hold strings sliced from this profile: let them go with it.
    samples.labelLists = [NO_LABELS];
    return { sampleTypes, defaultSampleType, durationNanos, periodType, period, totals: sums(samples.values, samples.count, sampleTypes.length) };
  }
}

/** Per column, the sum of a row-major `rows` × `width` table, adding rows in order as `totals` does. */
function sums(values: Float64Array, rows: number, width: number): number[] {
  const out = new Array<number>(width).fill(0);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < width; j++) out[j] += values[width * i + j];
  }
  return out;
}

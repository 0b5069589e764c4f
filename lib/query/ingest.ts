/**
 * The push side of the API: one profile, pprof (gzipped or not) or folded stacks, stored under a label
 * set through `writeProfiles`, the same entry point the worker's scrapes use.
 */
import { ApiError, describeZodError } from '../api/errors';
import { writeProfiles, type Db, type IngestItem } from '../db';
import { encodeProfile, parseFolded, type Profile } from '../pprof';
import { labelSetSchema } from '../selector';
import { formatSeries } from './labelset';

/** What was stored: the series as a selector, the timestamp, and a warning when it was already there. */
export interface IngestResult {
  readonly series: string;
  readonly timestamp: number;
  readonly warnings: string[];
}

/**
 * Stores one profile. Labels are checked against the naming rules first, and the body is decoded
 * before anything is written, so a bad request stores nothing and its error says why.
 */
export async function ingestProfile(db: Db, item: IngestItem, maxProfileBytes: number): Promise<IngestResult> {
  const checked = labelSetSchema.safeParse(item.labels);
  if (!checked.success) throw new ApiError('bad_data', `series: ${describeZodError(checked.error)}`);
  const { duplicates } = await writeProfiles(db, [item], { maxProfileBytes });
  const series = formatSeries(item.labels);
  const at = new Date(item.timestampMs).toISOString();
  const warnings = duplicates > 0 ? [`${series} already has a profile at ${at}; the new one was not stored`] : [];
  return { series, timestamp: item.timestampMs, warnings };
}

/** Sample type and unit of folded stacks, which the format itself does not carry. */
export interface FoldedType {
  readonly sampleType: string;
  readonly unit: string;
}

/** Folded stacks (`a;b;c 12` lines) as a profile and its gzipped pprof blob. */
export function foldedItem(body: Uint8Array, type: FoldedType): { blob: Uint8Array; profile: Profile } {
  const profile = parseFolded(utf8(body), { sampleType: type.sampleType, unit: type.unit });
  return { blob: encodeProfile(profile), profile };
}

/** The body as UTF-8 text; other encodings are refused rather than stored as garbled frame names. */
export function utf8(body: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new ApiError('bad_data', 'the body is not UTF-8 text: folded stacks must be UTF-8');
  }
}

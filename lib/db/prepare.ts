import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { defaultSampleIndex, formatSampleType, isGzip, isProfileError, type Profile } from '../pprof';
import { summarizeProfile, summaryOf, type ProfileSummary } from '../pprof/summary';
import type { Labels } from '../selector/matcher';
import { StorageInputError } from './errors';
import { fingerprint, formatLabels, normalizeLabels } from './labels';
import { MAX_TIME_MS } from './time';

/** One profile to store: its series' labels, when it was taken, and the pprof bytes (gzip or raw). */
export interface IngestItem {
  readonly labels: Labels;
  readonly timestampMs: number;
  readonly blob: Uint8Array;
  /** The blob's summary, when the caller has it (the worker), so the blob is not read twice. */
  readonly summary?: ProfileSummary;
  /** The blob already decoded, when the caller has it, so it is not decoded twice. */
  readonly profile?: Profile;
}

/** A validated item with everything the `series` and `samples` rows need. */
export interface PreparedItem {
  readonly labels: Labels;
  readonly fingerprint: Buffer;
  readonly timestampMs: number;
  readonly blob: Buffer;
  readonly sampleTypes: string[];
  readonly defaultSampleType: string;
  readonly totals: number[];
  readonly durationNanos: number;
  readonly periodType: string;
  readonly period: number;
}

const ItemSchema = z.object({
  labels: z.record(z.string(), z.string()),
  timestampMs: z.number().int().min(0).max(MAX_TIME_MS),
  blob: z.instanceof(Uint8Array),
  summary: z.custom<ProfileSummary>((p) => typeof p === 'object' && p !== null && 'sampleTypes' in p && 'totals' in p).optional(),
  profile: z.custom<Profile>((p) => typeof p === 'object' && p !== null && 'sampleTypes' in p).optional(),
});

/**
 * Validates a batch before any database work, so a bad item refuses the whole batch with a message
 * naming the item, its labels and the problem. `maxProfileBytes` caps both the blob and its
 * decompressed size.
 */
export function prepareBatch(batch: readonly IngestItem[], maxProfileBytes: number): PreparedItem[] {
  return batch.map((item, i) => prepareItem(item, `profile ${i + 1} of ${batch.length}`, maxProfileBytes));
}

function prepareItem(item: IngestItem, where: string, maxProfileBytes: number): PreparedItem {
  const parsed = ItemSchema.safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const code = issue.path[0] === 'timestampMs' ? 'invalid_timestamp' : 'invalid_profile';
    throw new StorageInputError(code, `${where}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const labels = normalizeLabels(item.labels, where);
  const at = `${where} ${formatLabels(labels)}`;
  if (item.blob.byteLength > maxProfileBytes) {
    throw new StorageInputError('profile_too_large', `${at}: the profile is ${item.blob.byteLength} bytes, over the limit of ${maxProfileBytes}`);
  }
  const summary = item.summary ?? (item.profile ? summaryOf(item.profile) : summarize(item.blob, at, maxProfileBytes));
  const defaultIndex = defaultSampleIndex(summary);
  return {
    labels,
    fingerprint: fingerprint(labels),
    timestampMs: item.timestampMs,
    blob: storedBlob(item.blob),
    sampleTypes: summary.sampleTypes.map(formatSampleType),
    defaultSampleType: defaultIndex < 0 ? '' : formatSampleType(summary.sampleTypes[defaultIndex]),
    totals: [...summary.totals],
    durationNanos: summary.durationNanos,
    periodType: summary.periodType ? formatSampleType(summary.periodType) : '',
    period: summary.period,
  };
}

function summarize(blob: Uint8Array, at: string, maxBytes: number): ProfileSummary {
  try {
    return summarizeProfile(blob, { maxBytes });
  } catch (err) {
    if (!isProfileError(err)) throw err;
    const code = err.code === 'too_large' ? 'profile_too_large' : 'invalid_profile';
    throw new StorageInputError(code, `${at}: ${err.message}`);
  }
}

/** Profiles are stored gzipped; gzip input is kept byte for byte rather than recompressed. */
function storedBlob(blob: Uint8Array): Buffer {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  return isGzip(bytes) ? bytes : gzipSync(bytes);
}

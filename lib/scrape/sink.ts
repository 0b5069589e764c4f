import type { ProfileSummary } from '../pprof/summary';
import type { Labels } from '../selector/matcher';

/** One successfully scraped and checked profile, ready to store. */
export interface ScrapedProfile {
  /** The series labels: `__name__`, `job`, `instance`, relabeled and external labels. */
  readonly labels: Labels;
  /** When the scrape started, in Unix milliseconds (Prometheus stamps samples the same way). */
  readonly timestampMs: number;
  /** The profile as gzip-compressed pprof, the form profd stores and serves. */
  readonly blob: Uint8Array;
  /** What storage keeps beside the blob: sample types, period, duration and the totals per type. */
  readonly summary: ProfileSummary;
}

/**
 * Where scrape loops hand their profiles: the seam between scraping and storage (Prometheus'
 * `storage.Appender`). The real sink batches into lib/db; a rejected write is recorded in the
 * target's health as a `storage` error and the loop carries on.
 */
export interface ProfileSink {
  write(item: ScrapedProfile): Promise<void>;
}

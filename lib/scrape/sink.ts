import type { Profile } from '../pprof/model';
import type { Labels } from '../selector/matcher';

/** One successfully scraped and decoded profile, ready to store. */
export interface ScrapedProfile {
  /** The series labels: `__name__`, `job`, `instance`, relabeled and external labels. */
  readonly labels: Labels;
  /** When the scrape started, in Unix milliseconds (Prometheus stamps samples the same way). */
  readonly timestampMs: number;
  /** The profile as gzip-compressed pprof, the form profd stores and serves. */
  readonly blob: Uint8Array;
  /** The decoded profile `blob` holds. */
  readonly profile: Profile;
  /** The sum of every sample's value per sample type, in sample-type order. */
  readonly totals: readonly number[];
}

/**
 * Where scrape loops hand their profiles: the seam between scraping and storage (Prometheus'
 * `storage.Appender`). The real sink batches into lib/db; a rejected write is recorded in the
 * target's health as a `storage` error and the loop carries on.
 */
export interface ProfileSink {
  write(item: ScrapedProfile): Promise<void>;
}

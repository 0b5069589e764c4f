import type { ProfileHeader } from './decode-scan';
import { ProfileError } from './errors';
import type { ValueType } from './model';
import { formatSampleType } from './sample-types';

/** The header of a profile, without holding on to its samples and entities. */
export function headerOf(p: ProfileHeader): ProfileHeader {
  return {
    sampleTypes: p.sampleTypes, defaultSampleType: p.defaultSampleType, dropFrames: p.dropFrames, keepFrames: p.keepFrames,
    timeNanos: p.timeNanos, durationNanos: p.durationNanos, periodType: p.periodType, period: p.period,
    comments: p.comments, docUrl: p.docUrl,
  };
}

/**
 * Refuses to merge `next` into profiles that began with `first` when their sample types or period
 * types differ; `position` is the number of profiles before `next`.
 */
export function checkCompatible(first: ProfileHeader, next: ProfileHeader, position: number): void {
  const types = (p: ProfileHeader) => `[${p.sampleTypes.map(formatSampleType).join(' ')}]`;
  const sameTypes =
    first.sampleTypes.length === next.sampleTypes.length &&
    first.sampleTypes.every((t, i) => sameValueType(t, next.sampleTypes[i]));
  if (!sameTypes) {
    throw new ProfileError('incompatible', `cannot merge profiles with sample types ${types(first)} and ${types(next)} (profile ${position + 1})`);
  }
  if (!sameValueType(first.periodType, next.periodType)) {
    const period = (p: ProfileHeader) => (p.periodType ? formatSampleType(p.periodType) : 'none');
    throw new ProfileError('incompatible', `cannot merge profiles with period types ${period(first)} and ${period(next)} (profile ${position + 1})`);
  }
}

/** pprof treats a missing period type as an empty one. */
function sameValueType(a: ValueType | null, b: ValueType | null): boolean {
  return (a?.type ?? '') === (b?.type ?? '') && (a?.unit ?? '') === (b?.unit ?? '');
}

/**
 * Combines the header fields of the profiles being merged, as pprof's combineHeaders does: the first
 * profile's types and frame filters, the earliest non-zero start, summed durations, the largest
 * period, comments deduplicated in order, the default sample type when the profiles agree on it.
 */
export class HeaderCombiner {
  private first: ProfileHeader | null = null;
  private count = 0;
  private timeNanos = 0n;
  private durationNanos = 0;
  private period = 0;
  private readonly comments = new Set<string>();
  private readonly defaults = new Set<string>();
  private docUrl = '';

  /** Adds a profile's header, refusing one whose sample or period types differ from the first's. */
  add(p: ProfileHeader): void {
    if (this.first) checkCompatible(this.first, p, this.count);
    else this.first = headerOf(p);
    this.count++;
    if (this.timeNanos === 0n || (p.timeNanos !== 0n && p.timeNanos < this.timeNanos)) this.timeNanos = p.timeNanos;
    this.durationNanos += p.durationNanos;
    this.period = Math.max(this.period, p.period);
    for (const comment of p.comments) this.comments.add(comment);
    if (p.defaultSampleType !== '') this.defaults.add(p.defaultSampleType);
    this.docUrl ||= p.docUrl;
  }

  /** The merged header; refuses when no profile was added. */
  result(): ProfileHeader {
    const first = this.first;
    if (!first) throw new ProfileError('invalid_value', 'no profiles to merge');
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

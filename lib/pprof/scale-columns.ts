import { SampleColumns } from './decode-sample-columns';
import type { ProfileHeader } from './decode-scan';
import type { Profile } from './model';
import { columnarProfile, type DecodedColumns } from './profile-columns';

/**
 * A decoded profile with new sample values, kept as columns that share the input's locations,
 * functions and strings: scaling or choosing sample types then never builds the input's objects.
 * `valueAt(values, start, j)` is the new value `j` of the sample whose old values begin at
 * `values[start]`; samples left all zero are dropped.
 */
export function withSampleValues(
  profile: Profile,
  columns: DecodedColumns,
  { sampleTypes, defaultSampleType }: Pick<ProfileHeader, 'sampleTypes' | 'defaultSampleType'>,
  valueAt: (values: Float64Array, start: number, j: number) => number,
): Profile {
  const from = columns.samples;
  const to = new SampleColumns();
  const typeCount = sampleTypes.length;
  to.typeCount = typeCount;
  to.stackStart = new Int32Array(from.count + 1);
  to.stacks = new Int32Array(from.stackStart[from.count]);
  to.values = new Float64Array(typeCount * from.count);
  to.labelIndex = new Int32Array(from.count);
  to.labelLists = from.labelLists;
  let kept = 0;
  for (let i = 0; i < from.count; i++) {
    let nonZero = false;
    for (let j = 0; j < typeCount; j++) nonZero = (to.values[typeCount * kept + j] = valueAt(from.values, from.typeCount * i, j)) !== 0 || nonZero;
    if (!nonZero) continue;
    to.stacks.set(from.stacks.subarray(from.stackStart[i], from.stackStart[i + 1]), to.stackStart[kept]);
    to.stackStart[kept + 1] = to.stackStart[kept] + from.stackStart[i + 1] - from.stackStart[i];
    to.labelIndex[kept++] = from.labelIndex[i];
  }
  to.count = kept;
  const header: ProfileHeader = {
    sampleTypes,
    defaultSampleType,
    dropFrames: profile.dropFrames,
    keepFrames: profile.keepFrames,
    timeNanos: profile.timeNanos,
    durationNanos: profile.durationNanos,
    periodType: profile.periodType,
    period: profile.period,
    comments: profile.comments,
    docUrl: profile.docUrl,
  };
  return columnarProfile(header, { ...columns, samples: to });
}

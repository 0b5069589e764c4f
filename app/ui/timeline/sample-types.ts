/** The timeline draws one plot per sample type: totals in different units share no y axis. */

export interface SampleTypeGroup<S> {
  /** `type/unit`, as the API writes it. */
  readonly sampleType: string;
  readonly type: string;
  readonly unit: string;
  readonly series: S[];
}

/** The series grouped by sample type, groups in the order their first series comes. */
export function groupBySampleType<S extends { readonly sampleType: string }>(series: readonly S[]): SampleTypeGroup<S>[] {
  const groups = new Map<string, SampleTypeGroup<S>>();
  for (const s of series) {
    let group = groups.get(s.sampleType);
    if (!group) {
      group = { sampleType: s.sampleType, ...splitSampleType(s.sampleType), series: [] };
      groups.set(s.sampleType, group);
    }
    group.series.push(s);
  }
  return [...groups.values()];
}

/** `alloc_space/bytes` → type `alloc_space`, unit `bytes`; a text without `/` is all type, unit `count`. */
export function splitSampleType(sampleType: string): { type: string; unit: string } {
  const slash = sampleType.lastIndexOf('/');
  if (slash < 0) return { type: sampleType, unit: 'count' };
  return { type: sampleType.slice(0, slash), unit: sampleType.slice(slash + 1) };
}

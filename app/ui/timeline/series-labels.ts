/** Which labels tell the timeline's series apart, and how the legend and tooltip print label sets. */
import type { Labels } from '@/lib/selector';

/**
 * For each series, the labels whose values differ between the series, so a legend of
 * `{job="api", instance="a"}` and `{job="api", instance="b"}` reads `instance="a"` and `instance="b"`.
 * A label that some series lack counts as differing, and those series show it as `""` (Prometheus'
 * reading of a missing label). One series keeps all its labels: nothing else names it.
 */
export function distinguishingLabels(series: readonly { readonly labels: Labels }[]): Record<string, string>[] {
  if (series.length <= 1) return series.map((s) => ({ ...s.labels }));
  const names = new Set(series.flatMap((s) => Object.keys(s.labels)));
  const differing = [...names].filter((name) => {
    const first = series[0].labels[name];
    return series.some((s) => s.labels[name] !== first);
  });
  return series.map((s) => Object.fromEntries(differing.map((name) => [name, s.labels[name] ?? ''])));
}

/** `__name__="heap", instance="a:6060", job="api"`: the metric name first, then by name. */
export function formatLabelPairs(labels: Labels): string {
  return labelPairs(labels).join(', ');
}

/** Each label as `name="value"`, the metric name first, then by name. */
export function labelPairs(labels: Labels): string[] {
  const names = Object.keys(labels).sort((a, b) => (a === '__name__' ? -1 : b === '__name__' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => `${name}=${JSON.stringify(labels[name])}`);
}

/** What the timeline draws, derived from the API's series: plots by sample type, colours, legend. */
import type { RangeSeries } from '@/lib/query/range';
import type { Labels } from '@/lib/selector';
import { seriesColours } from './colours';
import { groupBySampleType, splitSampleType } from './sample-types';
import { distinguishingLabels, formatLabelPairs } from './series-labels';

/** One series as drawn. */
export interface DotSeries {
  readonly key: string;
  readonly colour: string;
  readonly labels: Labels;
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

/** One plot: the visible series of one sample type. */
export interface PlotModel {
  readonly sampleType: string;
  readonly title: string;
  readonly unit: string;
  readonly series: readonly DotSeries[];
}

export interface LegendEntry {
  readonly key: string;
  readonly colour: string;
  /** The labels that tell this series from the others. */
  readonly text: string;
  /** Every label, for the entry's tooltip. */
  readonly title: string;
}

/** The plots to draw: one per sample type, each holding only the series not in `hidden`. */
export function timelinePlots(series: readonly RangeSeries[], hidden: ReadonlySet<string>): PlotModel[] {
  const colours = seriesColours(series.map((s) => s.labelsetEncoded));
  return groupBySampleType(series).map((group) => ({
    sampleType: group.sampleType,
    title: `${group.type} (${group.unit})`,
    unit: group.unit,
    series: group.series.filter((s) => !hidden.has(s.labelsetEncoded)).map((s) => dotSeries(s, colours.get(s.labelsetEncoded)!)),
  }));
}

/** A legend entry per series, in the API's order. */
export function legendEntries(series: readonly RangeSeries[]): LegendEntry[] {
  const colours = seriesColours(series.map((s) => s.labelsetEncoded));
  const distinguishing = distinguishingLabels(series);
  return series.map((s, i) => ({
    key: s.labelsetEncoded,
    colour: colours.get(s.labelsetEncoded)!,
    text: formatLabelPairs(distinguishing[i]) || formatLabelPairs(s.labels) || '{}',
    title: `${formatLabelPairs(s.labels)}\n${splitSampleType(s.sampleType).type}, ${s.timestamps.length} profiles`,
  }));
}

/** The series with its points in time order, which hit testing's binary search relies on. */
function dotSeries(s: RangeSeries, colour: string): DotSeries {
  const base = { key: s.labelsetEncoded, colour, labels: s.labels };
  if (isAscending(s.timestamps)) return { ...base, timestamps: s.timestamps, values: s.values };
  const order = s.timestamps.map((_, i) => i).sort((a, b) => s.timestamps[a] - s.timestamps[b]);
  return { ...base, timestamps: order.map((i) => s.timestamps[i]), values: order.map((i) => s.values[i]) };
}

function isAscending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] < values[i - 1]) return false;
  return true;
}

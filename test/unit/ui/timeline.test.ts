import { describe, expect, it } from 'vitest';
import type { RangeSeries } from '../../../lib/query/range';
import { SERIES_PALETTE, seriesColours } from '../../../app/ui/timeline/colours';
import { plotAt, timelineLayout, timeX, TIMELINE_MARGIN } from '../../../app/ui/timeline/layout';
import { legendEntries, timelinePlots } from '../../../app/ui/timeline/model';
import { indexOfTime, nearestDot } from '../../../app/ui/timeline/nearest';
import { quantityAxis } from '../../../app/ui/timeline/quantity-axis';
import { timeTick } from '../../../app/ui/timeline/time-ticks';
import { groupBySampleType, splitSampleType } from '../../../app/ui/timeline/sample-types';
import { rangeOfMarks, zoomedOut } from '../../../app/ui/timeline/selection';
import { distinguishingLabels, formatLabelPairs } from '../../../app/ui/timeline/series-labels';

function series(labels: Record<string, string>, sampleType = 'cpu/nanoseconds', timestamps = [1000, 2000], values = [1, 2]): RangeSeries {
  return { labels, labelsetEncoded: JSON.stringify(labels), sampleType, timestamps, values };
}

describe('legend labels', () => {
  it('keeps only the labels that differ between series', () => {
    const out = distinguishingLabels([
      { labels: { __name__: 'heap', job: 'api', instance: 'a:6060' } },
      { labels: { __name__: 'heap', job: 'api', instance: 'b:6060' } },
    ]);
    expect(out).toEqual([{ instance: 'a:6060' }, { instance: 'b:6060' }]);
  });

  it('names __name__ only when it differs, and shows a missing label as empty', () => {
    const out = distinguishingLabels([
      { labels: { __name__: 'heap', job: 'api' } },
      { labels: { __name__: 'cpu', job: 'api', canary: 'yes' } },
    ]);
    expect(out).toEqual([
      { __name__: 'heap', canary: '' },
      { __name__: 'cpu', canary: 'yes' },
    ]);
  });

  it('keeps every label of a lone series', () => {
    expect(distinguishingLabels([{ labels: { __name__: 'heap', job: 'api' } }])).toEqual([{ __name__: 'heap', job: 'api' }]);
  });

  it('prints the metric name first, then labels by name, quoted', () => {
    expect(formatLabelPairs({ job: 'a"b', __name__: 'heap', instance: 'x' })).toBe('__name__="heap", instance="x", job="a\\"b"');
  });

  it('legend entries carry the distinguishing text and every label in the title', () => {
    const entries = legendEntries([series({ job: 'api', instance: 'a' }), series({ job: 'api', instance: 'b' })]);
    expect(entries.map((e) => e.text)).toEqual(['instance="a"', 'instance="b"']);
    expect(entries[0].title).toContain('instance="a", job="api"');
  });
});

describe('series colours', () => {
  it('gives ten series ten different colours', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `{instance="host-${i}"}`);
    const colours = seriesColours(keys);
    expect(new Set(colours.values()).size).toBe(10);
    for (const colour of colours.values()) expect(SERIES_PALETTE).toContain(colour);
  });

  it('keeps a series its colour whatever order the API lists the series in', () => {
    const keys = ['{a="1"}', '{a="2"}', '{a="3"}', '{a="4"}'];
    const forward = seriesColours(keys);
    const backward = seriesColours([...keys].reverse());
    for (const key of keys) expect(backward.get(key)).toBe(forward.get(key));
  });

  it('keeps a lone series its colour across queries', () => {
    const alone = seriesColours(['{job="api"}']).get('{job="api"}');
    expect(seriesColours(['{job="api"}']).get('{job="api"}')).toBe(alone);
  });

  it('reuses colours evenly past ten series', () => {
    const keys = Array.from({ length: 25 }, (_, i) => `k${i}`);
    const counts = new Map<string, number>();
    for (const colour of seriesColours(keys).values()) counts.set(colour, (counts.get(colour) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBe(3);
  });
});

describe('plots by sample type', () => {
  it('groups series by sample type in the order they come', () => {
    const groups = groupBySampleType([
      series({ i: '1' }, 'inuse_space/bytes'),
      series({ i: '2' }, 'cpu/nanoseconds'),
      series({ i: '3' }, 'inuse_space/bytes'),
    ]);
    expect(groups.map((g) => [g.sampleType, g.type, g.unit, g.series.length])).toEqual([
      ['inuse_space/bytes', 'inuse_space', 'bytes', 2],
      ['cpu/nanoseconds', 'cpu', 'nanoseconds', 1],
    ]);
  });

  it('splits a sample type at its last slash', () => {
    expect(splitSampleType('alloc_space/bytes')).toEqual({ type: 'alloc_space', unit: 'bytes' });
    expect(splitSampleType('samples')).toEqual({ type: 'samples', unit: 'count' });
  });

  it('leaves hidden series out of their plot but keeps the plot', () => {
    const a = series({ i: '1' }, 'cpu/nanoseconds');
    const b = series({ i: '2' }, 'alloc_space/bytes');
    const plots = timelinePlots([a, b], new Set([b.labelsetEncoded]));
    expect(plots.map((p) => [p.title, p.series.length])).toEqual([
      ['cpu (nanoseconds)', 1],
      ['alloc_space (bytes)', 0],
    ]);
  });

  it('puts points in time order for hit testing', () => {
    const [plot] = timelinePlots([series({ i: '1' }, 'cpu/nanoseconds', [3000, 1000, 2000], [3, 1, 2])], new Set());
    expect(plot.series[0].timestamps).toEqual([1000, 2000, 3000]);
    expect(plot.series[0].values).toEqual([1, 2, 3]);
  });
});

describe('hit testing', () => {
  const columns = [
    { xs: [10, 20, 30, 40], ys: [50, 50, 50, 50] },
    { xs: [20, 35], ys: [10, 48] },
  ];

  it('finds the nearest dot in both directions, across series', () => {
    expect(nearestDot(columns, 21, 52, 10)).toEqual({ series: 0, index: 1 });
    expect(nearestDot(columns, 34, 47, 10)).toEqual({ series: 1, index: 1 });
    expect(nearestDot(columns, 19, 12, 10)).toEqual({ series: 1, index: 0 });
  });

  it('finds nothing beyond the radius, and skips hidden series', () => {
    expect(nearestDot(columns, 100, 50, 10)).toBeNull();
    expect(nearestDot([null, columns[1]], 21, 52, 10)).toBeNull();
  });

  it('stays exact over many dots', () => {
    const xs = Array.from({ length: 100_000 }, (_, i) => i / 10);
    const ys = xs.map(() => 0);
    expect(nearestDot([{ xs, ys }], 5000.04, 0, 5)).toEqual({ series: 0, index: 50_000 });
  });

  it('finds a profile by its exact time', () => {
    expect(indexOfTime([1000, 2000, 3000], 2000)).toBe(1);
    expect(indexOfTime([1000, 2000, 3000], 2500)).toBe(-1);
    expect(indexOfTime([], 1)).toBe(-1);
  });
});

describe('layout', () => {
  it('stacks plots of 150-200 px and puts one x axis under them', () => {
    const one = timelineLayout(800, 1);
    expect(one.height).toBeGreaterThanOrEqual(160);
    expect(one.height).toBeLessThanOrEqual(200);
    const two = timelineLayout(800, 2);
    expect(two.plots[1].top).toBeGreaterThan(two.plots[0].bottom);
    expect(two.height - two.plots[1].bottom).toBe(one.height - one.plots[0].bottom);
  });

  it('maps a time to its x pixel and a y pixel to its plot', () => {
    expect(timeX(0, 0, 100, 800)).toBe(TIMELINE_MARGIN.left);
    expect(timeX(100, 0, 100, 800)).toBe(800 - TIMELINE_MARGIN.right);
    const layout = timelineLayout(800, 2);
    expect(plotAt(layout, layout.plots[1].top + 5)).toBe(1);
    expect(plotAt(layout, layout.plots[0].bottom + 2)).toBe(-1);
  });
});

describe('y axis of totals', () => {
  it('ticks on round numbers of one readable unit', () => {
    const cpu = quantityAxis(3.4e9, 'nanoseconds');
    expect(cpu.top).toBe(4e9);
    expect(cpu.ticks.map(cpu.label)).toEqual(['0 s', '1 s', '2 s', '3 s', '4 s']);
    const heap = quantityAxis(700 * 2 ** 20, 'bytes');
    expect(heap.ticks.map(heap.label)).toEqual(['0 MB', '200 MB', '400 MB', '600 MB', '800 MB']);
  });

  it('labels unit-less counts with separators and copes with an all-zero plot', () => {
    const counts = quantityAxis(12_345, 'count');
    expect(counts.ticks.map(counts.label)).toContain('10,000');
    const empty = quantityAxis(0, 'bytes');
    expect(empty.top).toBeGreaterThan(0);
  });
});

describe('zoom targets', () => {
  it('zooms to the ranges picked, ignoring single profiles', () => {
    expect(rangeOfMarks([{ kind: 'range', from: 10, to: 20 }, { kind: 'range', from: 5, to: 15 }])).toEqual({ from: 5, to: 20 });
    expect(rangeOfMarks([{ kind: 'single', time: 10 }, null])).toBeNull();
  });

  it('zooms out to twice the span around the middle', () => {
    expect(zoomedOut(100, 200)).toEqual({ from: 50, to: 250 });
  });
});

describe('x axis labels', () => {
  it('prints 24-hour local times, a date at midnight, seconds only between minutes', () => {
    expect(timeTick(new Date(2026, 10, 25, 14, 5))).toBe('14:05');
    expect(timeTick(new Date(2026, 10, 25, 0, 0))).toBe('Nov 25');
    expect(timeTick(new Date(2026, 10, 25, 14, 5, 30))).toBe('14:05:30');
    expect(timeTick(new Date(2026, 10, 25, 14, 5, 30, 250))).toBe('14:05:30.250');
  });
});

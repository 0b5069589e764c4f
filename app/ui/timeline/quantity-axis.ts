/**
 * The y axis of a plot of totals. Ticks fall on round numbers of ONE readable unit (0, 200, 400 MB;
 * 0, 1, 2 s): d3's nice ticks in raw bytes or nanoseconds would be 1024-based oddities (191 MB), and
 * formatting each tick on its own would mix units on one axis (512 MB, 1 GB).
 */
import { nice, ticks } from 'd3-array';
import { scaleValue } from '@/lib/pprof/units';

export interface QuantityAxis {
  /** The top of the y domain, in the sample type's unit: the max rounded up to a tick. */
  readonly top: number;
  /** Tick values in the sample type's unit. */
  readonly ticks: number[];
  /** A tick's label in the axis' display unit: `400 MB`. */
  label(value: number): string;
}

/** An axis from 0 to at least `max` (a total in `unit`, e.g. `bytes`), with about `count` ticks. */
export function quantityAxis(max: number, unit: string, count = 4): QuantityAxis {
  const safeMax = Number.isFinite(max) && max > 0 ? max : 1;
  const scaled = scaleValue(safeMax, unit);
  const factor = safeMax / scaled.value;
  const [, top] = nice(0, scaled.value, count);
  const suffix = scaled.unit ? ` ${scaled.unit}` : '';
  return {
    top: top * factor,
    ticks: ticks(0, top, count).map((t) => t * factor),
    // toPrecision drops the float noise of t * factor / factor (0.30000000000000004).
    label: (value) => `${Number((value / factor).toPrecision(6)).toLocaleString('en-US')}${suffix}`,
  };
}

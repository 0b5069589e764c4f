/** Hit testing for the timeline's dots: which dot the pointer is on, and where a profile's dot is. */

/** One series' dots in pixels, `xs` ascending (the API returns each series oldest profile first). */
export interface DotColumn {
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
}

export interface DotHit {
  readonly series: number;
  readonly index: number;
}

/**
 * The dot nearest to (px, py) within `radius` pixels, or null. Binary search narrows each series to
 * the dots within `radius` in x, so hovering stays cheap with hundreds of thousands of dots; on a
 * tie the later series wins, as it is drawn on top. `null` columns (hidden series) are skipped.
 */
export function nearestDot(columns: readonly (DotColumn | null)[], px: number, py: number, radius: number): DotHit | null {
  let best: DotHit | null = null;
  let bestDistance = radius * radius;
  columns.forEach((column, series) => {
    if (!column) return;
    for (let i = lowerBound(column.xs, px - radius); i < column.xs.length && column.xs[i] <= px + radius; i++) {
      const dx = column.xs[i] - px;
      const dy = column.ys[i] - py;
      const distance = dx * dx + dy * dy;
      if (distance <= bestDistance) {
        bestDistance = distance;
        best = { series, index: i };
      }
    }
  });
  return best;
}

/** The index of the profile at exactly `time` in an ascending list of timestamps, or -1. */
export function indexOfTime(timestamps: ArrayLike<number>, time: number): number {
  const i = lowerBound(timestamps, time);
  return i < timestamps.length && timestamps[i] === time ? i : -1;
}

/** The first index whose value is at least `value`. */
function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

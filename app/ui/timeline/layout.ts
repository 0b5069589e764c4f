/**
 * Where the timeline's plots sit in its svg. Exported so a test can compute the point of a given time
 * (`timeX`) when the dots are drawn as paths rather than one `<circle>` each.
 */

/** Pixels around the plot areas: room for the y axis labels on the left and the x axis below. */
export const TIMELINE_MARGIN = { left: 64, right: 12 } as const;
/** The height of one plot's drawing area. */
export const PLOT_HEIGHT = 150;
/** The line above each plot that names its sample type. */
export const PLOT_TITLE_HEIGHT = 16;
/** Space between stacked plots. */
export const PLOT_GAP = 8;
/** The shared x axis under the last plot. */
export const X_AXIS_HEIGHT = 20;

export interface PlotArea {
  readonly top: number;
  readonly bottom: number;
}

export interface TimelineLayout {
  readonly width: number;
  readonly height: number;
  /** The x range of every plot area. */
  readonly left: number;
  readonly right: number;
  readonly plots: readonly PlotArea[];
}

/** Plots stacked top to bottom, each a title line over its drawing area, one x axis under them all. */
export function timelineLayout(width: number, plotCount: number): TimelineLayout {
  const plots: PlotArea[] = [];
  let y = 0;
  for (let i = 0; i < plotCount; i++) {
    const top = y + PLOT_TITLE_HEIGHT;
    plots.push({ top, bottom: top + PLOT_HEIGHT });
    y = top + PLOT_HEIGHT + PLOT_GAP;
  }
  const lastBottom = plots.length > 0 ? plots[plots.length - 1].bottom : 0;
  const left = TIMELINE_MARGIN.left;
  return { width, height: lastBottom + X_AXIS_HEIGHT, left, right: Math.max(left + 1, width - TIMELINE_MARGIN.right), plots };
}

/** The x pixel of `time` in a timeline showing `from`..`to` at `width` pixels (a linear time scale). */
export function timeX(time: number, from: number, to: number, width: number): number {
  const { left, right } = timelineLayout(width, 0);
  return left + ((time - from) / (to - from)) * (right - left);
}

/** The plot whose drawing area holds the y pixel `y`, or -1. */
export function plotAt(layout: TimelineLayout, y: number): number {
  return layout.plots.findIndex((plot) => y >= plot.top && y <= plot.bottom);
}

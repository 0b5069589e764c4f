/** What is picked on the timeline: one profile, or a range of profiles merged into one. */
export type TimelineSelection =
  | { kind: 'single'; time: number; labels?: Record<string, string> }
  | { kind: 'range'; from: number; to: number };

/** The range that covers every range mark, for "zoom to selection"; null when none is a range. */
export function rangeOfMarks(marks: readonly (TimelineSelection | null | undefined)[]): { from: number; to: number } | null {
  const ranges = marks.filter((m): m is Extract<TimelineSelection, { kind: 'range' }> => m?.kind === 'range');
  if (ranges.length === 0) return null;
  return { from: Math.min(...ranges.map((r) => r.from)), to: Math.max(...ranges.map((r) => r.to)) };
}

/** `from`..`to` widened to twice its span around its middle. */
export function zoomedOut(from: number, to: number): { from: number; to: number } {
  const half = (to - from) / 2;
  return { from: from - half, to: to + half };
}

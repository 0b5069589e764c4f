/**
 * Renders a loaded profile as one of `/api/v1/query`'s reports. An empty selection renders as an
 * empty report of the same shape, so clients need no special case for "nothing matched".
 */
import {
  buildCallTree, buildDiffCallTree, callTreeToFolded, defaultSampleIndex, encodeProfileAsync, formatSampleType, sampleIndex, type CallTree, type DiffCallTree, type Profile,
} from '../pprof';
import type { FlameTree } from '../flame/tree';
import { asDiffError, type DiffSides, type LoadedProfile } from './load';
import { topReport } from './report-top';

/** The reports `/api/v1/query` renders. */
export const REPORTS = ['top', 'flamegraph', 'proto', 'meta', 'folded'] as const;
export type ReportKind = (typeof REPORTS)[number];

/** How to render: which sample type, and which share of the total a node needs to be shown. */
export interface ReportOptions {
  readonly sampleType?: string;
  readonly nodeFraction?: number;
}

/**
 * The `flamegraph` report: the call tree (in a diff, carrying side a's values too), with the lines
 * saying where the profile came from and its sample types (as `meta` has them), so one request is
 * enough to draw a profile and offer its other sample types.
 */
export type FlameReport = FlameTree & { description: string[]; sampleTypes: string[]; defaultSampleType: string };

/** A rendered report: JSON data for the envelope, a pprof file, or folded-stacks text. */
export type Rendered =
  | { readonly kind: 'json'; readonly data: unknown }
  | { readonly kind: 'pprof'; readonly bytes: Uint8Array }
  | { readonly kind: 'text'; readonly text: string };

/**
 * Renders `profile` (null when nothing matched). `proto` is the whole profile, gzipped, whatever the
 * options; `top` trims as pprof does by default (0.5%), the flame graph and folded stacks only when asked.
 * A diff's flame graph is grown from its two sides, so each node carries side a's value too.
 */
export async function renderReport({ profile, description, sides }: LoadedProfile, report: ReportKind, options: ReportOptions): Promise<Rendered> {
  switch (report) {
    case 'proto':
      return { kind: 'pprof', bytes: await encodeProfileAsync(profile ?? emptyProfile()) };
    case 'meta':
      return { kind: 'json', data: meta(profile) };
    case 'top':
      return { kind: 'json', data: profile ? topReport(profile, description, options) : emptyTop(description) };
    case 'flamegraph':
      return { kind: 'json', data: flameReport(profile, description, sides, options) };
    case 'folded':
      return { kind: 'text', text: profile ? callTreeToFolded(callTree(profile, options)) : '' };
  }
}

function callTree(profile: Profile, options: ReportOptions): CallTree {
  return buildCallTree(profile, sampleIndex(profile, options.sampleType), { nodeFraction: options.nodeFraction });
}

function flameReport(profile: Profile | null, description: readonly string[], sides: DiffSides | undefined, options: ReportOptions): FlameReport {
  const tree = sides ? diffCallTree(sides, options) : profile ? callTree(profile, options) : emptyTree();
  return { ...tree, description: [...description], ...meta(sides ? (sides.b ?? sides.a) : profile) };
}

/** b minus a, with a side that matched nothing contributing zeros. */
function diffCallTree({ a, b }: DiffSides, options: ReportOptions): DiffCallTree {
  const either = b ?? a;
  if (!either) return { ...emptyTree(), base: [0], baseSelf: [0] };
  const nothing = { ...either, samples: [] };
  const index = sampleIndex(either, options.sampleType);
  return asDiffError(() => buildDiffCallTree(a ?? nothing, b ?? nothing, index, { nodeFraction: options.nodeFraction }));
}

function meta(profile: Profile | null): { sampleTypes: string[]; defaultSampleType: string } {
  if (!profile || profile.sampleTypes.length === 0) return { sampleTypes: [], defaultSampleType: '' };
  return {
    sampleTypes: profile.sampleTypes.map(formatSampleType),
    defaultSampleType: formatSampleType(profile.sampleTypes[defaultSampleIndex(profile)]),
  };
}

function emptyTop(description: readonly string[]) {
  return { labels: [...description], sampleType: '', total: 0, items: [] };
}

function emptyTree(): CallTree {
  return {
    sampleType: { type: '', unit: '' }, names: ['root'], name: [0], parent: [-1], depth: [0], self: [0], total: [0], trimmedSubtrees: 0, trimmedValue: 0,
  };
}

function emptyProfile(): Profile {
  return {
    sampleTypes: [], defaultSampleType: '', samples: [], mappings: [], locations: [], functions: [], dropFrames: '', keepFrames: '',
    timeNanos: 0n, durationNanos: 0, periodType: null, period: 0, comments: [], docUrl: '',
  };
}

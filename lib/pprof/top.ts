import type { SampleColumns } from './decode-sample-columns';
import { compareFrames, compareText, type Frame, FrameTable, type LocationFrames } from './frames';
import { HashChains, mix } from './hash-chains';
import { grow } from './lists';
import type { Profile, SampleLabel, ValueType } from './model';
import { columnsOf } from './profile-columns';
import { sampleIndex } from './sample-types';

/** Options for top. */
export interface TopOptions {
  /** Sample type by name, `type/unit` or index; pprof's default type when absent. */
  sampleType?: string | number;
  /** Keep at most this many rows (pprof's -nodecount). */
  limit?: number;
  /** Drop nodes whose |cum| is below this share of the total (pprof's -nodefraction, default 0.005). */
  nodeFraction?: number;
}

/** One row of a top table; `name` carries pprof's ` (inline)` / ` (partial-inline)` suffix. */
export interface TopItem {
  name: string;
  flat: number;
  cum: number;
}

/** A top table with the facts pprof prints above it. */
export interface TopResult {
  sampleType: ValueType;
  /** pprof's report total, the base of every percentage (see reportTotal). */
  total: number;
  items: TopItem[];
  /** Nodes left after dropping the small ones, before `limit` ("Showing top 5 nodes out of N"). */
  nodeCount: number;
  /** Nodes dropped because |cum| fell below nodeFraction of the sum of every node's (signed) flat value. */
  droppedNodes: number;
  /**
   * The cutoff as pprof prints it ("Dropped 3 nodes (cum <= 1.06MB)"): nodeFraction of `total`. pprof
   * drops by the signed flat sum but prints this; the two differ where values have both signs (diffs).
   */
  nodeCutoff: number;
}

const DEFAULT_NODE_FRACTION = 0.005;
/** pprof's -edgefraction; only decides which callers count when labelling a node `(inline)`. */
const EDGE_FRACTION = 0.001;

/** True for the base side of a pprof `-diff_base` profile, whose samples carry `pprof::base=true`. */
function isDiffBase(labels: readonly SampleLabel[]): boolean {
  return labels.find((l) => l.key === 'pprof::base')?.str === 'true';
}

/**
 * pprof's report total for one sample type: the sum of |value|, so a diff's losses and gains both
 * count; when some samples are the base of a diff (`pprof::base`), only those, so percentages are
 * relative to the base profile.
 */
export function reportTotal(profile: Profile, index: number): number {
  return totalOf(columnsOf(profile).samples, index);
}

function totalOf({ count, typeCount, values, labelIndex, labelLists }: SampleColumns, index: number): number {
  let total = 0;
  let baseTotal = 0;
  for (let s = 0; s < count; s++) {
    const v = Math.abs(values[typeCount * s + index]);
    total += v;
    const labels = labelLists[labelIndex[s]];
    if (labels.length > 0 && isDiffBase(labels)) baseTotal += v;
  }
  return baseTotal > 0 ? baseTotal : total;
}

interface NodeValues {
  flat: Float64Array;
  cum: Float64Array;
}

/**
 * Every location's frames as frame ids, innermost first, in one flat array: location `i`'s are
 * `ids[start[i]]` up to `ids[start[i + 1]]`. Numbers in typed arrays, and flat and cum in typed
 * arrays by frame id, rather than a Frame array per location and sparse arrays: top's loops visit every
 * frame of every sample. With EdgeTable below, top of google-pprof__large.cpu took 80–99 ms, now 19–22;
 * of a merge of 60 large profiles (395k samples) 850–960 ms, now 205–220 (old and new interleaved,
 * medians of 10).
 */
interface FrameIds {
  start: Int32Array;
  ids: Int32Array;
}

function frameIdsOf(locationCount: number, frames: LocationFrames): FrameIds {
  const start = new Int32Array(locationCount + 1);
  const ids: number[] = [];
  for (let i = 0; i < locationCount; i++) {
    for (const frame of frames.at(i)) ids.push(frame.id);
    start[i + 1] = ids.length;
  }
  return { start, ids: Int32Array.from(ids) };
}

/**
 * Flat and cum per frame id. Cum is counted once per stack, so recursion does not inflate it; flat
 * goes to the innermost frame of the leaf location.
 */
function accumulate({ count, typeCount, values, stackStart, stacks }: SampleColumns, index: number, { start, ids }: FrameIds, frameCount: number): NodeValues {
  const flat = new Float64Array(frameCount);
  const cum = new Float64Array(frameCount);
  const lastSample = new Int32Array(frameCount).fill(-1);
  for (let s = 0; s < count; s++) {
    const weight = values[typeCount * s + index];
    if (weight === 0 || stackStart[s + 1] === stackStart[s]) continue;
    for (let j = stackStart[s]; j < stackStart[s + 1]; j++) {
      for (let k = start[stacks[j]], end = start[stacks[j] + 1]; k < end; k++) {
        const id = ids[k];
        if (lastSample[id] === s) continue;
        lastSample[id] = s;
        cum[id] += weight;
      }
    }
    flat[ids[start[stacks[stackStart[s]]]]] += weight;
  }
  return { flat, cum };
}

/**
 * The rows of `go tool pprof -top` (granularity=functions) for one sample type: nodes whose |cum| is
 * at least nodeFraction of the total, ordered by |flat| descending, then name, then |cum|.
 */
export function top(profile: Profile, options: TopOptions = {}): TopResult {
  const index = sampleIndex(profile, options.sampleType);
  const columns = columnsOf(profile);
  const table = new FrameTable();
  const frameIds = frameIdsOf(columns.locations.count, table.of(columns));
  const { flat, cum } = accumulate(columns.samples, index, frameIds, table.frames.length);
  const nodeFraction = options.nodeFraction ?? DEFAULT_NODE_FRACTION;
  const total = totalOf(columns.samples, index);
  const value = (frame: Frame, of: Float64Array) => of[frame.id];
  const nodes = table.frames.filter((f) => value(f, flat) !== 0 || value(f, cum) !== 0);

  // Like pprof, cut off relative to the sum of flat values (signed), not the report total.
  const flatSum = nodes.reduce((sum, f) => sum + value(f, flat), 0);
  const nodeCutoff = Math.abs(Math.trunc(flatSum * nodeFraction));
  const kept = nodes.filter((f) => Math.abs(value(f, cum)) >= nodeCutoff);
  kept.sort((a, b) =>
    Math.abs(value(b, flat)) - Math.abs(value(a, flat))
    || compareText(a.name, b.name)
    || Math.abs(value(b, cum)) - Math.abs(value(a, cum))
    || compareFrames(a, b));

  const shown = options.limit !== undefined && options.limit > 0 ? kept.slice(0, options.limit) : kept;
  const edgeCutoff = Math.abs(Math.trunc(flatSum * EDGE_FRACTION));
  const labels = inlineLabels(columns.samples, index, frameIds, shown.map((f) => f.id), table.frames.length, edgeCutoff);
  return {
    sampleType: profile.sampleTypes[index],
    total,
    items: shown.map((f) => ({ name: f.name + (labels.get(f.id) ?? ''), flat: value(f, flat), cum: value(f, cum) })),
    nodeCount: kept.length,
    droppedNodes: nodes.length - kept.length,
    nodeCutoff: Math.abs(Math.trunc(total * nodeFraction)),
  };
}

/**
 * Edges between shown frames in typed arrays: edge `e` runs from `caller[e]` to `callee[e]`, weighs
 * `weight[e]`, is inline while `inline[e]` is 1, and was last added to by sample `countedIn[e]`. Found
 * through each caller's most recent edge (consecutive samples share most of their stacks), else by
 * hash: with a Map of edge objects keyed by number, the edges were 60% of top on a merge of 60 large
 * profiles (395k samples).
 */
class EdgeTable {
  count = 0;
  caller = new Int32Array(1024);
  callee = new Int32Array(1024);
  weight = new Float64Array(1024);
  inline = new Uint8Array(1024);
  countedIn = new Int32Array(1024);
  private readonly recent: Int32Array;
  private readonly chains = new HashChains();

  constructor(frameCount: number) {
    this.recent = new Int32Array(frameCount).fill(-1);
  }

  /** The edge from `caller` to `callee`, created when new. */
  find(caller: number, callee: number): number {
    const recent = this.recent[caller];
    if (recent >= 0 && this.callee[recent] === callee) return recent;
    const hash = mix(mix(0, caller), callee);
    let e = this.chains.first(hash);
    while (e >= 0 && (this.caller[e] !== caller || this.callee[e] !== callee)) e = this.chains.next(e);
    if (e < 0) e = this.add(hash, caller, callee);
    return (this.recent[caller] = e);
  }

  private add(hash: number, caller: number, callee: number): number {
    const e = this.count++;
    if (e === this.caller.length) {
      this.caller = grow(this.caller, e + 1);
      this.callee = grow(this.callee, e + 1);
      this.weight = grow(this.weight, e + 1);
      this.inline = grow(this.inline, e + 1);
      this.countedIn = grow(this.countedIn, e + 1);
    }
    this.caller[e] = caller;
    this.callee[e] = callee;
    this.inline[e] = 1;
    this.countedIn[e] = -1;
    this.chains.add(hash, e);
    return e;
  }
}

/** What inlineLabels' walk of the stacks needs of each location; see shownVisits. */
interface ShownVisits {
  start: Int32Array;
  ids: Int32Array;
  notInlined: Uint8Array;
  /** 1 for the shown frames some location inlines (has as other than its last line). */
  inlined: Uint8Array;
  /** 1 for the locations with such a frame among their shown ones. */
  hasInlined: Uint8Array;
  /** Each location's last shown frame, the caller of what follows it in a stack; -1 for none. */
  lastShown: Int32Array;
  anyInlined: boolean;
}

/**
 * Each location's shown frames in the order a stack passes them, caller first: location `i`'s are
 * `ids[start[i]]` up to `ids[start[i + 1]]`, `notInlined[v]` being 1 for the frame its location was
 * not inlined into (its last line). Most locations have none, so a stack's walk skips them with one
 * lookup rather than reading each of their frames: on the merge of 60 large profiles, where
 * inlineLabels is two thirds of top, top took 0.90–0.93× the time so (in-process A/B, same rows).
 *
 * Only an edge into a frame that some location inlines can be inline, so only such frames can be
 * labelled: edges into the others are not kept, and a location without such a frame passes the walk
 * its last shown frame alone. A profile with no inlined frames (Node's, say) has no edges to find.
 * top of that merge took 0.85× the time so for its 500 rows, 0.70× for all 3,644 (same rows).
 */
function shownVisits({ start, ids }: FrameIds, shown: readonly number[], frameCount: number): ShownVisits {
  const isShown = new Uint8Array(frameCount);
  for (const id of shown) isShown[id] = 1;
  const locationCount = start.length - 1;
  const out = {
    start: new Int32Array(locationCount + 1),
    ids: new Int32Array(ids.length),
    notInlined: new Uint8Array(ids.length),
    inlined: new Uint8Array(frameCount),
    hasInlined: new Uint8Array(locationCount),
    lastShown: new Int32Array(locationCount).fill(-1),
    anyInlined: false,
  };
  let used = 0;
  for (let location = 0; location < locationCount; location++) {
    const first = start[location];
    const last = start[location + 1] - 1;
    for (let j = last; j >= first; j--) {
      if (isShown[ids[j]] === 0) continue;
      out.ids[used] = ids[j];
      out.notInlined[used++] = j === last ? 1 : 0;
      if (j !== last) out.inlined[ids[j]] = 1;
    }
    out.start[location + 1] = used;
    if (used > out.start[location]) out.lastShown[location] = out.ids[used - 1];
  }
  for (let location = 0; location < locationCount; location++) {
    for (let v = out.start[location]; v < out.start[location + 1]; v++) {
      if (out.inlined[out.ids[v]] === 1) out.hasInlined[location] = 1;
    }
    if (out.hasInlined[location] === 1) out.anyInlined = true;
  }
  return out;
}

/**
 * pprof's ` (inline)` / ` (partial-inline)` suffixes. pprof decides them on the graph of the nodes it
 * shows: an edge runs from the nearest shown caller to each shown frame and is inline when that frame
 * was inlined at that point in the stack (not the last line of its location); edges lighter than the
 * edge cutoff are ignored. A node whose incoming edges are all inline is `(inline)`, some `(partial-inline)`.
 * Edges remember the last sample that counted them, so a recursive stack counts an edge once.
 */
function inlineLabels(
  { count, typeCount, values, stackStart, stacks }: SampleColumns,
  index: number,
  frameIds: FrameIds,
  shown: readonly number[],
  frameCount: number,
  edgeCutoff: number,
): Map<number, string> {
  const visits = shownVisits(frameIds, shown, frameCount);
  const labels = new Map<number, string>();
  if (!visits.anyInlined) return labels;
  const { hasInlined, lastShown, inlined } = visits;
  const edges = new EdgeTable(frameCount);
  for (let s = 0; s < count; s++) {
    const weight = values[typeCount * s + index];
    if (weight === 0) continue;
    let caller = -1;
    for (let i = stackStart[s + 1] - 1; i >= stackStart[s]; i--) {
      const location = stacks[i];
      if (hasInlined[location] === 0) {
        if (lastShown[location] >= 0) caller = lastShown[location];
        continue;
      }
      for (let v = visits.start[location], end = visits.start[location + 1]; v < end; v++) {
        const callee = visits.ids[v];
        if (caller >= 0 && caller !== callee && inlined[callee] === 1) {
          const e = edges.find(caller, callee);
          if (edges.countedIn[e] !== s) {
            edges.countedIn[e] = s;
            edges.weight[e] += weight;
            if (visits.notInlined[v] === 1) edges.inline[e] = 0;
          }
        }
        caller = callee;
      }
    }
  }
  const heavy = new Int32Array(frameCount);
  const heavyInline = new Int32Array(frameCount);
  for (let e = 0; e < edges.count; e++) {
    if (Math.abs(edges.weight[e]) < edgeCutoff) continue;
    heavy[edges.callee[e]]++;
    if (edges.inline[e] === 1) heavyInline[edges.callee[e]]++;
  }
  for (const id of shown) {
    if (heavyInline[id] > 0) labels.set(id, heavyInline[id] === heavy[id] ? ' (inline)' : ' (partial-inline)');
  }
  return labels;
}

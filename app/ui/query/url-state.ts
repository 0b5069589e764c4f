/**
 * The query page's whole state, read from and written to the URL, so that a reload, a pasted link or
 * back/forward shows the same view. Pure: the page turns `URLSearchParams` into a QueryState and
 * patches of it back into a search string.
 *
 * Parameters: `query`, `from`, `to` (the timeline); the profile shown: `time` (+ `series`, the exact
 * selector of the picked dot; Conprof's `/pprof/` links send `query` + `time`) or `merge_from` +
 * `merge_to`; compare: `compare=1` and side b as `b_time` (+ `b_series`) or `b_from` + `b_to`, with
 * `b_query` when b selects something else than `query`; the view: `view`, `sample_type`, `zoom` (the
 * zoomed frame's path, frames joined by `;` as in folded stacks), `search`, `orient`, `fn`.
 */

export const VIEWS = ['flame', 'table', 'both', 'sandwich'] as const;
export type View = (typeof VIEWS)[number];
export type Orientation = 'icicle' | 'flame';

/** What one side shows: the first profile at `time` (of `series` when a dot was picked), or a range merged. */
export type Selection =
  | { readonly kind: 'single'; readonly time: number; readonly series: string | null }
  | { readonly kind: 'merge'; readonly from: number; readonly to: number };

export interface QueryState {
  readonly query: string;
  readonly from: string;
  readonly to: string;
  readonly selection: Selection | null;
  /** Present in compare mode; `b` is null until the second side is picked. */
  readonly compare: { readonly query: string; readonly b: Selection | null } | null;
  readonly view: View;
  readonly sampleType: string | null;
  readonly zoom: readonly string[];
  readonly search: string;
  readonly orientation: Orientation;
  readonly fn: string | null;
}

export const DEFAULT_FROM = 'now-1h';
export const DEFAULT_TO = 'now';
const DEFAULT_VIEW: View = 'both';
const ZOOM_SEPARATOR = ';';

/** Reads the state from a URL's parameters; anything malformed falls back to its default. */
export function parseQueryState(params: URLSearchParams): QueryState {
  const text = (name: string) => params.get(name) ?? '';
  const query = text('query');
  const compare = params.get('compare') === '1' ? { query: text('b_query') || query, b: readSelection(params, 'b_time', 'b_series', 'b_from', 'b_to') } : null;
  const view = text('view') as View;
  const zoom = text('zoom');
  return {
    query,
    from: text('from') || DEFAULT_FROM,
    to: text('to') || DEFAULT_TO,
    selection: readSelection(params, 'time', 'series', 'merge_from', 'merge_to'),
    compare,
    view: VIEWS.includes(view) ? view : DEFAULT_VIEW,
    sampleType: params.get('sample_type') || null,
    zoom: zoom ? zoom.split(ZOOM_SEPARATOR) : [],
    search: text('search'),
    orientation: text('orient') === 'flame' ? 'flame' : 'icicle',
    fn: params.get('fn') || null,
  };
}

/** The search string of a state, leaving out defaults so links stay short. */
export function formatQueryState(state: QueryState): string {
  const params = new URLSearchParams();
  const set = (name: string, value: string | number | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') params.set(name, String(value));
  };
  set('query', state.query);
  if (state.from !== DEFAULT_FROM) set('from', state.from);
  if (state.to !== DEFAULT_TO) set('to', state.to);
  writeSelection(set, state.selection, 'time', 'series', 'merge_from', 'merge_to');
  if (state.compare) {
    set('compare', 1);
    if (state.compare.query !== state.query) set('b_query', state.compare.query);
    writeSelection(set, state.compare.b, 'b_time', 'b_series', 'b_from', 'b_to');
  }
  if (state.view !== DEFAULT_VIEW) set('view', state.view);
  set('sample_type', state.sampleType);
  set('zoom', state.zoom.join(ZOOM_SEPARATOR));
  set('search', state.search);
  if (state.orientation !== 'icicle') set('orient', state.orientation);
  set('fn', state.fn);
  const search = params.toString();
  return search ? `?${search}` : '';
}

/**
 * The state after a change. A new query, range or selection resets what belonged to the old profile
 * (zoom, sandwich function), so a link never points into a frame of a profile no longer shown.
 */
export function patchQueryState(state: QueryState, patch: Partial<QueryState>): QueryState {
  const next = { ...state, ...patch };
  const profileChanged =
    ('query' in patch && patch.query !== state.query) ||
    ('selection' in patch && !sameSelection(patch.selection ?? null, state.selection)) ||
    ('compare' in patch && !sameSelection(patch.compare?.b ?? null, state.compare?.b ?? null)) ||
    ('sampleType' in patch && patch.sampleType !== state.sampleType);
  if (profileChanged && !('zoom' in patch)) next.zoom = [];
  return next;
}

export function sameSelection(a: Selection | null, b: Selection | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === 'single') return b.kind === 'single' && a.time === b.time && a.series === b.series;
  return b.kind === 'merge' && a.from === b.from && a.to === b.to;
}

function readSelection(params: URLSearchParams, time: string, series: string, from: string, to: string): Selection | null {
  const ms = (name: string) => {
    const text = params.get(name);
    return text !== null && /^\d+$/.test(text) ? Number(text) : null;
  };
  const at = ms(time);
  if (at !== null) return { kind: 'single', time: at, series: params.get(series) || null };
  const start = ms(from);
  const end = ms(to);
  return start !== null && end !== null ? { kind: 'merge', from: Math.min(start, end), to: Math.max(start, end) } : null;
}

function writeSelection(
  set: (name: string, value: string | number | null) => void,
  selection: Selection | null,
  time: string,
  series: string,
  from: string,
  to: string,
): void {
  if (!selection) return;
  if (selection.kind === 'single') {
    set(time, selection.time);
    set(series, selection.series);
  } else {
    set(from, selection.from);
    set(to, selection.to);
  }
}

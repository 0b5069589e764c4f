/**
 * The `/api/v1/query` request behind the profile view: one profile, a merged range, or (in compare
 * mode) b minus a. Pure, so the view, its download link and its curl command ask for the same thing.
 */
import type { ApiParams } from '../api-client';
import type { QueryState, Selection } from './url-state';

/** The parameters selecting what the view shows, or null while nothing is selected. */
export function profileParams(state: QueryState): ApiParams | null {
  if (!state.query || !state.selection) return null;
  if (!state.compare) return sideParams(state.selection, state.query, '');
  if (!state.compare.b) return null;
  return { mode: 'diff', ...sideParams(state.selection, state.query, '_a'), ...sideParams(state.compare.b, state.compare.query, '_b') };
}

function sideParams(selection: Selection, query: string, suffix: string): ApiParams {
  const mode = suffix ? `mode${suffix}` : 'mode';
  if (selection.kind === 'single') {
    return { [mode]: 'single', [`query${suffix}`]: selection.series ?? query, [`time${suffix}`]: selection.time };
  }
  return { [mode]: 'merge', [`query${suffix}`]: query, [`from${suffix}`]: selection.from, [`to${suffix}`]: selection.to };
}

/** A shell command that fetches the same answer, for "copy curl". */
export function curlCommand(url: string): string {
  return `curl -gs '${url.replace(/'/g, `'\\''`)}'`;
}

/**
 * Series colours. The palette is Observable's ten categorical colours: mid-lightness hues that read
 * on both the light and the dark background, so the timeline needs no per-theme palette.
 */
export const SERIES_PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#9498a0'];

/**
 * A colour for each series key (its encoded label set). Each key hashes to a preferred colour, so a
 * series keeps its colour from one query to the next; keys whose colour is taken move to the next
 * least-used one (keys in sorted order, so the outcome does not depend on the API's order), which
 * keeps up to ten series distinct.
 */
export function seriesColours(keys: readonly string[]): Map<string, string> {
  const uses = SERIES_PALETTE.map(() => 0);
  const colours = new Map<string, string>();
  for (const key of [...new Set(keys)].sort()) {
    const preferred = fnv1a(key) % SERIES_PALETTE.length;
    let chosen = preferred;
    for (let step = 1; step < SERIES_PALETTE.length; step++) {
      const slot = (preferred + step) % SERIES_PALETTE.length;
      if (uses[slot] < uses[chosen]) chosen = slot;
    }
    uses[chosen]++;
    colours.set(key, SERIES_PALETTE[chosen]);
  }
  return colours;
}

/** 32-bit FNV-1a: a tiny, well-spread string hash. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

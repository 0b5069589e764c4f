import { isDiffTree, type FlameTree } from './tree';

/**
 * A search box's text as a name test: a case-insensitive regular expression when it is one, else a
 * case-insensitive substring (so `(*T).Method` still finds something); null for an empty search.
 */
export function nameMatcher(search: string): ((name: string) => boolean) | null {
  if (search === '') return null;
  try {
    const pattern = new RegExp(search, 'i');
    return (name) => pattern.test(name);
  } catch {
    const needle = search.toLowerCase();
    return (name) => name.toLowerCase().includes(needle);
  }
}

/** What a search found in a tree. */
export interface FlameSearch {
  /** 1 for each node whose name matches. */
  matches: Uint8Array;
  /** How many nodes (frames) match. */
  count: number;
  /** The value under matching frames, a match nested inside another counted once. In a diff, the after side. */
  value: number;
  /** The root's value, on the same side as `value`. */
  total: number;
}

/** Which frames of `tree` match `search` (see nameMatcher), and their share of the whole. */
export function searchTree(tree: FlameTree, search: string): FlameSearch | null {
  const test = nameMatcher(search);
  if (!test) return null;
  const nameMatches = tree.names.map(test);
  const n = tree.name.length;
  const matches = new Uint8Array(n);
  const base = isDiffTree(tree) ? tree.base : undefined;
  const valueOf = (i: number) => (base ? tree.total[i] + base[i] : tree.total[i]);
  let count = 0;
  let value = 0;
  // Tree order visits a subtree right after its root: while deeper than `outer`, we are inside a match.
  let outer = -1;
  for (let i = 0; i < n; i++) {
    if (outer >= 0 && tree.depth[i] <= outer) outer = -1;
    if (!nameMatches[tree.name[i]]) continue;
    matches[i] = 1;
    count++;
    if (outer < 0) {
      value += valueOf(i);
      outer = tree.depth[i];
    }
  }
  return { matches, count, value, total: n > 0 ? valueOf(0) : 0 };
}

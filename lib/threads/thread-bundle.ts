import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Not `new URL('../..', import.meta.url)`, which Next.js' bundler would take for a folder to bundle.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** Inside node_modules, which git ignores and `next build` leaves alone, as the worker's bundle. */
const CACHE = join(ROOT, 'node_modules/.cache/profd');

const bundles = new Map<string, Promise<string>>();

/**
 * The path of a thread's entry module (relative to the project root) bundled with the lib/ code it
 * uses into one ES module for plain `node`, as worker threads need: a thread runs no TypeScript loader,
 * neither under tsx, vitest nor Next.js. Rebuilt only when a source it was built from is newer than
 * it, so a process normally only reads a few file dates (~1 ms) before starting its thread.
 */
export function threadBundle(entry: string): Promise<string> {
  let bundle = bundles.get(entry);
  if (bundle === undefined) {
    bundle = freshBundle(entry);
    bundles.set(entry, bundle);
    bundle.catch(() => bundles.delete(entry));
  }
  return bundle;
}

async function freshBundle(entry: string): Promise<string> {
  const name = entry.replace(/^.*[\\/]/, '').replace(/\.ts$/, '');
  const bundle = join(CACHE, `${name}.mjs`);
  const inputsFile = join(CACHE, `${name}.inputs.json`);
  if (await isFresh(bundle, inputsFile)) return bundle;
  // Loaded only to rebuild, which a process seldom has to.
  const { buildNodeBundle, replaceFile } = await import('../bundle/node-bundle');
  const { contents, inputs } = await buildNodeBundle(ROOT, entry, bundle);
  await replaceFile(inputsFile, JSON.stringify(inputs));
  await replaceFile(bundle, contents);
  return bundle;
}

/** True when the bundle is newer than its list of inputs and than every input on it. */
async function isFresh(bundle: string, inputsFile: string): Promise<boolean> {
  try {
    const built = (await stat(bundle)).mtimeMs;
    if ((await stat(inputsFile)).mtimeMs > built) return false;
    const inputs = JSON.parse(await readFile(inputsFile, 'utf8')) as string[];
    const dates = await Promise.all(inputs.map(async (input) => (await stat(input)).mtimeMs));
    return dates.every((date) => date < built);
  } catch {
    return false;
  }
}

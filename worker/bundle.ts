import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNodeBundle, replaceFile } from '../lib/bundle/node-bundle';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the bundle goes: inside node_modules, which git ignores and `next build` leaves alone. */
const BUNDLE = join(ROOT, 'node_modules/.cache/profd/worker.mjs');

/**
 * Bundles worker/main.ts and the lib/ code it uses into one ES module for plain `node`, packages left
 * as imports, and returns its path. The worker runs this way because `node --import tsx` costs ~40 MB
 * of resident memory for nothing after start-up: the loader's own thread and V8 isolate, and esbuild
 * in both (an idle worker: 128 MB under tsx, 89 MB bundled). Built afresh at each start (under a
 * second), so it never lags the sources.
 */
export async function bundleWorker(): Promise<string> {
  await replaceFile(BUNDLE, (await buildNodeBundle(ROOT, 'worker/main.ts', BUNDLE)).contents);
  return BUNDLE;
}

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the bundle goes: inside node_modules, which git ignores and `next build` leaves alone. */
const BUNDLE = join(ROOT, 'node_modules/.cache/profd/worker.mjs');

/**
 * Bundles worker/main.ts and the lib/ code it uses into one ES module for plain `node`, packages left
 * as imports, and returns its path. The worker runs this way because `node --import tsx` costs ~40 MB
 * of resident memory for nothing after start-up: the loader's own thread and V8 isolate, and esbuild
 * in both (an idle worker: 128 MB under tsx, 89 MB bundled). Built afresh at each start (under a
 * second), so it never lags the sources; written beside and renamed, so a process starting meanwhile
 * never reads half a file.
 */
export async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, 'worker/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    outfile: BUNDLE,
    logLevel: 'silent',
    plugins: [sourceLocatedMigrations],
  });
  await mkdir(dirname(BUNDLE), { recursive: true });
  const partial = `${BUNDLE}.${process.pid}`;
  await writeFile(partial, result.outputFiles[0].contents);
  await rename(partial, BUNDLE);
  return BUNDLE;
}

/** lib/db/migrate.ts finds drizzle/ beside its own file: in the bundle, its own file is still lib/db/migrate.ts. */
const sourceLocatedMigrations: Plugin = {
  name: 'source-located-migrations',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]lib[\\/]db[\\/]migrate\.ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)),
      loader: 'ts',
    }));
  },
};

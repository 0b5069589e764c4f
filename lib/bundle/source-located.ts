import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

/**
 * For esbuild bundles of lib/ code: a module that finds files beside its own source (lib/db/migrate.ts
 * finds drizzle/, lib/threads/thread-bundle.ts the project root) reads `import.meta.url`, which in a
 * bundle is the bundle's own address. This puts the module's source address in its place.
 */
export const sourceLocated: Plugin = {
  name: 'source-located',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]lib[\\/].*\.ts$/ }, async ({ path }) => {
      const contents = await readFile(path, 'utf8');
      if (!contents.includes('import.meta.url')) return undefined;
      return { contents: contents.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)), loader: 'ts' };
    });
  },
};

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { sourceLocated } from './source-located';

/** A bundled module's text and the source files it was built from. */
export interface NodeBundle {
  readonly contents: Uint8Array;
  readonly inputs: string[];
}

/**
 * Bundles `entry` (relative to `root`) and the lib/ code it uses into one ES module for plain `node`,
 * packages left as imports for Node to resolve from node_modules.
 */
export async function buildNodeBundle(root: string, entry: string, outfile: string): Promise<NodeBundle> {
  const result = await build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    metafile: true,
    outfile,
    logLevel: 'silent',
    plugins: [sourceLocated],
  });
  return { contents: result.outputFiles[0].contents, inputs: Object.keys(result.metafile.inputs).map((input) => join(root, input)) };
}

/** Writes `file` beside and renames it into place, so a process starting meanwhile never reads half a file. */
export async function replaceFile(file: string, contents: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}`;
  await writeFile(partial, contents);
  await rename(partial, file);
}

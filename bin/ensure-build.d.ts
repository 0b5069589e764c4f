import type { SpawnSyncReturns, StdioOptions } from 'node:child_process';

/** True when a build exists and is newer than every source file. */
export function buildIsFresh(): boolean;

/** Runs `next build` unless the build is fresh; null when no build was needed. */
export function ensureBuild(options?: { env?: NodeJS.ProcessEnv; stdio?: StdioOptions }): SpawnSyncReturns<string> | null;

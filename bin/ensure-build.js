// Builds the web app with `next build` when `.next/BUILD_ID` is missing or older than any source the
// app is built from, so `npm start` after a `git pull` never serves stale code. Shared by bin/start.js
// and the end-to-end tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NEXT = join(ROOT, 'node_modules/next/dist/bin/next');
const SOURCES = ['app', 'lib', 'next.config.mjs', 'package.json', 'tsconfig.json'];

/** True when a build exists and is newer than every source file. */
export function buildIsFresh() {
  const buildId = join(ROOT, '.next/BUILD_ID');
  return existsSync(buildId) && statSync(buildId).mtimeMs > newestSource();
}

/**
 * Runs `next build` unless the build is fresh. Returns null when no build was needed, else the
 * spawnSync result (status, and output when `stdio` is 'pipe').
 */
export function ensureBuild({ env = process.env, stdio = 'inherit' } = {}) {
  if (buildIsFresh()) return null;
  return spawnSync(process.execPath, [NEXT, 'build'], {
    cwd: ROOT,
    stdio,
    encoding: 'utf8',
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
  });
}

function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const source of SOURCES) if (existsSync(join(ROOT, source))) visit(join(ROOT, source));
  return newest;
}

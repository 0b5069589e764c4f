/**
 * The built web app as a child process, for the end-to-end tests: builds it when the build is
 * missing or older than the sources, then runs `next start` on a free loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild } from '../../bin/ensure-build.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NEXT = join(ROOT, 'node_modules/next/dist/bin/next');
const READY_TIMEOUT_MS = 60_000;

/** A running app: its base URL, and a way to stop it. */
export interface AppServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Runs `next build` unless the build is newer than every source file the app is built from. Test
 * files run in parallel processes, so the build is taken under a lock: a second file waits for the
 * first one's build and then finds it fresh.
 */
export function ensureFreshBuild(): void {
  withBuildLock(() => {
    const build = ensureBuild({ stdio: 'pipe' });
    if (build && build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  });
}

const LOCK = join(ROOT, '.next-build.lock');
// A lock older than the longest build belongs to a test run that died: take it over.
const STALE_LOCK_MS = 20 * 60_000;

function withBuildLock(body: () => void): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else Atomics.wait(pause, 0, 0, 500);
    }
  }
  try {
    body();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Starts the built app against `databaseUrl` and waits until `/-/ready` answers 200. */
export async function startApp(databaseUrl: string): Promise<AppServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [NEXT, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const server = { url, stop: () => stop(child) };
  try {
    await waitUntilReady(url, child);
  } catch (err) {
    await server.stop();
    throw new Error(`${(err as Error).message}; the app printed:\n${output}`);
  }
  return server;
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}`);
    const status = await fetch(`${url}/-/ready`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the app did not answer /-/ready within ${READY_TIMEOUT_MS / 1000}s`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

#!/usr/bin/env node
// `npm start`: check the environment, start the database (the embedded PGlite server unless
// DATABASE_URL is set) and migrate it, build the web app when the build is missing or stale, then run profd's
// processes with DATABASE_URL pointing at the database. A signal stops the processes, then the
// database; a process that dies stops everything, so nothing runs half-alive.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { buildIsFresh, ensureBuild } from './ensure-build.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const nextBin = fileURLToPath(new URL('../node_modules/next/dist/bin/next', import.meta.url));
const { readEnv } = await tsImport('../lib/config/env.ts', import.meta.url);
const { startDatabase } = await tsImport('../lib/embedded/start.ts', import.meta.url);
const { bundleWorker } = await tsImport('../worker/bundle.ts', import.meta.url);
const { decodeThreadBundle } = await tsImport('../lib/threads/decode-thread.ts', import.meta.url);
const log = (line) => console.log(`profd: ${line}`);

function fail(err) {
  console.error(`profd: ${err.message}`);
  process.exit(1);
}

let env;
try {
  env = readEnv();
} catch (err) {
  fail(err);
}
const database = await startDatabase(env, log).catch(fail);
const childEnv = { ...process.env, DATABASE_URL: database.url };

if (!buildIsFresh()) log('the web app build is missing or older than the sources, running `next build` first');
const build = ensureBuild({ env: childEnv });
if (build && build.status !== 0) {
  await database.stop();
  process.exit(build.status ?? 1);
}
const worker = await bundleWorker().catch(async (err) => {
  await database.stop();
  fail(new Error(`cannot bundle the worker: ${err.message}`));
});
// Built here rather than by the web app's first merge, which would wait for it.
await decodeThreadBundle().catch(async (err) => {
  await database.stop();
  fail(new Error(`cannot bundle the decoding thread: ${err.message}`));
});

// profd's processes, one line each: a name and the arguments to node.
// The web app gets a 64 MB young generation: it decodes and merges stored profiles, large short-lived
// object graphs that a small nursery promotes needlessly, and that halves their times (measured in
// bench/pprof.bench.ts). The worker does not: it only summarises profiles (lib/pprof/summary.ts), so the
// larger nursery bought it no CPU and cost ~100 MB of peak RSS (bench/worker.bench.ts: 504 MB with it,
// 392-415 MB without). The worker runs bundled, without tsx's loader (worker/bundle.ts).
const processes = [
  ['web', ['--max-semi-space-size=64', nextBin, 'start', '-p', String(env.port)]],
  ['worker', [worker]],
];

let stopping = false;
const children = processes.map(([name, args]) => {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: childEnv });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${signal ?? `code ${code}`}), stopping profd`);
      void stop(code || 1);
    }
  });
  return child;
});

async function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  await Promise.all(running.map((child) => once(child, 'exit')));
  await database.stop();
  process.exit(exitCode);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stop(0));

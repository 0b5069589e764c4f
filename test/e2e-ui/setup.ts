/**
 * The world the end-to-end UI tests look at: the built app on a fresh real-Postgres database, CPU
 * profiles pushed through the API when the test asks (two instances, an early and a late period in which json.Marshal
 * grew), and the worker scraping one working and one failing target.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseKinds, openTestDatabase } from '../helpers/db';
import { ensureFreshBuild, startApp, type AppServer } from '../helpers/app-server';
import { startPprofServer, type PprofServer } from '../helpers/pprof-server';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

const MINUTE = 60_000;
export const SELECTOR = 'profile{job="checkout"}';
/** Profiles per instance in each period, one a minute. */
export const PER_PERIOD = 5;
/** Instance b does half of a's work, so its dots sit apart from a's. */
export const INSTANCES = { a: 1, b: 0.5 };

/** Stacks of the early period: json.Marshal is the top function by flat time. */
export const EARLY = { 'main;checkout.handle;json.Marshal': 600, 'main;checkout.handle;db.Query': 300, 'main;runtime.gcBgMarkWorker': 100 };
/** The late period: json.Marshal grew, db.Query shrank. */
export const LATE = { 'main;checkout.handle;json.Marshal': 1500, 'main;checkout.handle;db.Query': 200, 'main;runtime.gcBgMarkWorker': 100 };
const MS_PER_UNIT = 10_000_000;

export interface World {
  readonly app: AppServer;
  /** Pushes the CPU profiles and starts the worker; until then the database is empty, as on a first run. */
  pushProfiles(): Promise<void>;
  readonly earlyTimes: number[];
  readonly lateTimes: number[];
  readonly targetServer: PprofServer;
  dispose(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  ensureFreshBuild();
  const database = await openTestDatabase(databaseKinds[0]);
  const app = await startApp(database.url);
  const now = Date.now();
  const earlyTimes = times(now - 50 * MINUTE);
  const lateTimes = times(now - 20 * MINUTE);
  const targetServer = await startPprofServer({
    '/debug/pprof/heap': { kind: 'fixture', name: 'parca__alloc_objects.pb.gz' },
    '/broken/heap': { kind: 'status', status: 500, body: 'profile: heap profiling is disabled on this build\n' },
  });
  const dir = mkdtempSync(join(tmpdir(), 'profd-e2e-ui-'));
  const config = join(dir, 'profd.yml');
  writeFileSync(config, workerConfig(targetServer));
  let worker: WorkerProcess | null = null;
  return {
    app,
    async pushProfiles() {
      worker = await startWorkerProcess(['--config.file', config], { DATABASE_URL: database.url });
      for (const [instance, scale] of Object.entries(INSTANCES)) {
        for (const t of earlyTimes) await push(app, instance, t, EARLY, scale);
        for (const t of lateTimes) await push(app, instance, t, LATE, scale);
      }
    },
    earlyTimes,
    lateTimes,
    targetServer,
    async dispose() {
      worker?.child.kill('SIGTERM');
      await worker?.exited;
      await app.stop();
      await targetServer.close();
      await database.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function times(start: number): number[] {
  const minute = Math.floor(start / MINUTE) * MINUTE;
  return Array.from({ length: PER_PERIOD }, (_, i) => minute + i * MINUTE);
}

async function push(app: AppServer, instance: string, timestamp: number, stacks: Record<string, number>, scale: number): Promise<void> {
  const params = new URLSearchParams({
    series: `profile{job="checkout", instance="${instance}"}`,
    timestamp: String(timestamp),
    format: 'folded',
    sample_type: 'cpu',
    unit: 'nanoseconds',
  });
  const body = Object.entries(stacks)
    .map(([stack, units]) => `${stack} ${units * scale * MS_PER_UNIT}`)
    .join('\n');
  const reply = await fetch(`${app.url}/api/v1/ingest?${params}`, { method: 'POST', body });
  if (!reply.ok) throw new Error(`ingest failed: ${reply.status} ${await reply.text()}`);
}

/** `shop` scrapes a working heap endpoint; `broken` one that answers 500. */
function workerConfig(server: PprofServer): string {
  const job = (name: string, path: string) => `  - job_name: ${name}
    scrape_interval: 1s
    scrape_timeout: 900ms
    static_configs:
      - targets: ['${server.address}']
    profiling_config:
      pprof_config:
        heap: { path: ${path} }
${['allocs', 'block', 'goroutine', 'mutex', 'profile', 'threadcreate'].map((t) => `        ${t}: { enabled: false }`).join('\n')}
`;
  return `scrape_configs:\n${job('shop', '/debug/pprof/heap')}${job('broken', '/broken/heap')}`;
}

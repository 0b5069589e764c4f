import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A running `npm run worker` process and what it logged. */
export interface WorkerProcess {
  /** `http://host:port` of its listener. */
  readonly url: string;
  /** `host:port` of its listener, as a scrape target. */
  readonly address: string;
  /** Every line it wrote to stderr so far. */
  readonly logs: string[];
  readonly child: ChildProcess;
  /** Settles when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line matching `pattern`, waiting for it when needed. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Starts the worker (`node --import tsx worker/main.ts`) on a free loopback port with `args` and
 * `env` added to this process's environment, and resolves once it logs that it is ready.
 */
export async function startWorkerProcess(args: readonly string[], env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, PROFD_WORKER_LISTEN: '127.0.0.1:0', ...env },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const logs: string[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    logs.push(...lines);
    waiters.forEach((wake) => wake());
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));

  const waitForLog = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`the worker did not log ${pattern} within ${timeoutMs} ms; its log:\n${logs.join('\n')}`)), timeoutMs);
      const check = () => {
        const line = logs.find((l) => pattern.test(l));
        if (line !== undefined) finish(null, line);
        else if (gone) finish(new Error(`the worker exited without logging ${pattern}; its log:\n${logs.join('\n')}`));
      };
      const finish = (err: Error | null, line?: string) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (err) reject(err);
        else resolve(line as string);
      };
      waiters.add(check);
      void exited.then(check);
      check();
    });

  const ready = await waitForLog(/msg=ready/, 30_000).catch((err: Error) => {
    child.kill('SIGKILL');
    throw err;
  });
  const address = /address=(\S+)/.exec(ready)![1];
  return { url: `http://${address}`, address, logs, child, exited, waitForLog };
}

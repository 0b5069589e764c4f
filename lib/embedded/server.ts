import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { lockDataDir } from './lock';
import { SessionQueue } from './session-queue';

/** Options for startEmbeddedDatabase. */
export interface EmbeddedOptions {
  /** Directory for the database files; `memory://` keeps everything in memory (tests). */
  readonly dataDir: string;
  /** Loopback port to serve on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Most concurrent client connections (default 64: the web app's and the worker's pools together). */
  readonly maxConnections?: number;
}

/** A running embedded database and the URL clients connect to. */
export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Starts PGlite (Postgres compiled to WebAssembly) on a data directory and serves it over the Postgres
 * wire protocol on loopback, so the web app and the worker connect to it exactly as to a real server.
 * Each connection is a pglite-socket PGLiteSocketHandler; they share one SessionQueue instead of
 * PGLiteSocketServer's queue, which lets concurrent clients corrupt each other (see session-queue.ts).
 */
export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const inMemory = options.dataDir === 'memory://';
  const unlock = inMemory ? () => {} : lockDataDir(options.dataDir);
  const handlers = new Set<PGLiteSocketHandler>();
  let ready!: (queue: SessionQueue) => void;
  const queue = new Promise<SessionQueue>((resolve) => (ready = resolve));
  // Listening comes first so a taken port fails at once, not after PGlite's seconds of start-up;
  // a client that connects meanwhile waits for the database.
  const server = createServer((socket) => void queue.then((q) => accept(socket, q, handlers, options.maxConnections ?? 64)));
  let db: PGlite | undefined;
  try {
    const port = await listen(server, options.port ?? 0);
    db = await PGlite.create(inMemory ? 'memory://' : join(options.dataDir, 'pglite'));
    ready(new SessionQueue(db));
    const running = db;
    return {
      url: `postgres://postgres@${HOST}:${port}/postgres`,
      stop: async () => {
        const closed = new Promise((resolve) => server.close(resolve));
        await Promise.all([...handlers].map((h) => h.detach(true)));
        await closed;
        await running.close();
        unlock();
      },
    };
  } catch (err) {
    server.close();
    await db?.close();
    unlock();
    throw err;
  }
}

async function accept(socket: Socket, queue: SessionQueue, handlers: Set<PGLiteSocketHandler>, max: number): Promise<void> {
  if (handlers.size >= max) {
    socket.end();
    return;
  }
  // The handler's option is typed as pglite-socket's own queue class; SessionQueue has its interface.
  const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
  handlers.add(handler);
  const forget = () => handlers.delete(handler);
  handler.addEventListener('close', forget);
  handler.addEventListener('error', forget);
  await handler.attach(socket).catch(() => {
    forget();
    socket.destroy();
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the port is in use (set PROFD_DB_PORT to another, or 0 for any free port)' : err.message;
      reject(new Error(`cannot serve the embedded database on ${HOST}:${port}: ${why}`, { cause: err }));
    });
    server.listen(port, HOST, () => resolve((server.address() as { port: number }).port));
  });
}

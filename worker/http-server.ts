import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '../lib/config/env';
import { serveSelfProfile, type PprofResponse, type SelfProfileName } from '../lib/selfprofile/http';

/** What the worker's endpoints answer with; the Worker supplies them. */
export interface WorkerEndpoints {
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Null when ready, else why not. */
  notReadyReason(): string | null;
  /** Reloads the config: ok with a summary, or not with the reason the old config keeps running. */
  reload(): Promise<{ ok: boolean; message: string }>;
}

/** The running listener. */
export interface WorkerHttpServer {
  /** `host:port` actually bound (the port filled in when 0 was asked for). */
  readonly address: string;
  close(): Promise<void>;
}

const ROUTES = 'GET /metrics, GET /-/healthy, GET /-/ready, POST /-/reload, GET /debug/pprof/profile?seconds=N, GET /debug/pprof/heap';

/**
 * Serves the worker's operational endpoints with node:http (a handful of fixed routes need no
 * framework): Prometheus' /metrics, /-/healthy, /-/ready and /-/reload, and Go-style pprof endpoints
 * of the worker itself, so profd can profile its own worker.
 */
export async function startWorkerHttp(listen: ListenAddress, endpoints: WorkerEndpoints): Promise<WorkerHttpServer> {
  const server = createServer((req, res) => {
    route(req, endpoints).then(
      (response) => send(res, response),
      (err: Error) => send(res, text(500, `internal error: ${err.message}`)),
    );
  });
  const address = await bind(server, listen);
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(req: IncomingMessage, endpoints: WorkerEndpoints): Promise<PprofResponse> {
  const url = new URL(req.url ?? '/', 'http://worker');
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/-/reload') {
    if (method !== 'POST' && method !== 'PUT') return text(405, 'reload with POST /-/reload', { allow: 'POST, PUT' });
    const result = await endpoints.reload();
    return text(result.ok ? 200 : 400, result.message);
  }
  if (method !== 'GET') return text(405, `${req.method} is not served here; the endpoints are ${ROUTES}`, { allow: 'GET' });
  switch (path) {
    case '/metrics': {
      const { contentType, body } = await endpoints.metrics();
      return { status: 200, headers: { 'content-type': contentType }, body };
    }
    case '/-/healthy':
      return text(200, 'profd worker is Healthy.');
    case '/-/ready': {
      const reason = endpoints.notReadyReason();
      return reason === null ? text(200, 'profd worker is Ready.') : text(503, `profd worker is not ready: ${reason}`);
    }
    case '/debug/pprof/profile':
    case '/debug/pprof/heap':
      return serveSelfProfile(path.slice('/debug/pprof/'.length) as SelfProfileName, url.searchParams);
    default:
      return text(404, `no endpoint ${path}; the endpoints are ${ROUTES}`);
  }
}

function send(res: ServerResponse, response: PprofResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

function text(status: number, message: string, headers: Record<string, string> = {}): PprofResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: `${message}\n` };
}

function bind(server: Server, listen: ListenAddress): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the address is in use (is another worker running? set PROFD_WORKER_LISTEN or --web.listen-address)' : err.message;
      reject(new Error(`cannot listen on ${listen.host}:${listen.port}: ${why}`, { cause: err }));
    });
    server.listen(listen.port, listen.host || undefined, () => {
      const { address, port, family } = server.address() as AddressInfo;
      resolve(family === 'IPv6' ? `[${address}]:${port}` : `${address}:${port}`);
    });
  });
}

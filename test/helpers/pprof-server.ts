import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFixture } from './fixtures';

/**
 * What a path of the test server does: serve a real profile, or misbehave the ways real targets do.
 * - `fixture`: a file from ../shared/fixtures/pprof, as a Go pprof endpoint sends it
 * - `hang`: accept the request and never answer
 * - `status`: an error status with a text body
 * - `huge`: a stream of `bytes` zero bytes, chunked unless `announce` sends a Content-Length
 * - `html`: a 200 HTML page, as a wrong path on a web server gives
 * - `close-mid-body`: promise 100 000 bytes, send 1000, then drop the connection
 * - `json`: a JSON document (for http_sd)
 */
export type Route =
  | { readonly kind: 'fixture'; readonly name: string }
  | { readonly kind: 'hang' }
  | { readonly kind: 'status'; readonly status: number; readonly body?: string }
  | { readonly kind: 'huge'; readonly bytes: number; readonly announce?: boolean }
  | { readonly kind: 'html' }
  | { readonly kind: 'close-mid-body' }
  | { readonly kind: 'json'; readonly body: unknown };

/** A request the server received. */
export interface RecordedRequest {
  readonly atMs: number;
  readonly url: string;
}

/** A loopback HTTP server with named routes, counting what it was asked for and what it sent. */
export interface PprofServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>`, as a scrape target's `__address__`. */
  readonly address: string;
  /** Sets or replaces what a path does. */
  route(path: string, route: Route): void;
  /** Requests received for a path, oldest first. */
  requests(path: string): RecordedRequest[];
  /** Body bytes written for a path, over all requests. */
  bytesSent(path: string): number;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024);

/** Starts the server on 127.0.0.1 with a free port. Unknown paths answer 404. */
export async function startPprofServer(initial: Record<string, Route> = {}): Promise<PprofServer> {
  const routes = new Map(Object.entries(initial));
  const requests = new Map<string, RecordedRequest[]>();
  const sent = new Map<string, number>();
  const count = (path: string, bytes: number) => sent.set(path, (sent.get(path) ?? 0) + bytes);

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.set(path, [...(requests.get(path) ?? []), { atMs: Date.now(), url: req.url ?? '' }]);
    const route = routes.get(path);
    if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route for ${path}\n`);
    serve(route, req, res, (bytes) => count(path, bytes));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    address: `127.0.0.1:${port}`,
    route: (path, route) => void routes.set(path, route),
    requests: (path) => requests.get(path) ?? [],
    bytesSent: (path) => sent.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serve(route: Route, req: IncomingMessage, res: ServerResponse, count: (bytes: number) => void): void {
  switch (route.kind) {
    case 'fixture': {
      const body = readFixture(route.name);
      count(body.length);
      return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    }
    case 'hang':
      return;
    case 'status':
      return void res.writeHead(route.status, { 'content-type': 'text/plain' }).end(route.body ?? `status ${route.status}\n`);
    case 'html':
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html><body><h1>Welcome</h1></body></html>\n');
    case 'json':
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(route.body));
    case 'close-mid-body':
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '100000' });
      res.write(Buffer.alloc(1000, 1), () => req.socket.destroy());
      return count(1000);
    case 'huge':
      return void streamZeros(route.bytes, route.announce ?? false, res, count);
  }
}

/** Writes zeros with backpressure, so the count shows how much the client actually took. */
async function streamZeros(total: number, announce: boolean, res: ServerResponse, count: (bytes: number) => void): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/octet-stream', ...(announce ? { 'content-length': String(total) } : {}) });
  let closed = false;
  let wake = () => {};
  res.on('drain', () => wake());
  res.on('close', () => {
    closed = true;
    wake();
  });
  for (let written = 0; written < total && !closed; written += CHUNK.length) {
    const chunk = CHUNK.subarray(0, Math.min(CHUNK.length, total - written));
    count(chunk.length);
    if (!res.write(chunk)) await new Promise<void>((resolve) => (wake = resolve));
  }
  if (!closed) res.end();
}

/**
 * The seam between route handlers and the envelope: turns a handler's result or error into a web
 * `Response`, and reads request bodies under a size limit. Uses only web standards (Request,
 * Response, streams), so it stays free of Next.js and runs unchanged in tests.
 */
import type { Rendered } from '../query/report';
import { errorResponse, success, type ApiResponse, type ErrorLog } from './envelope';
import { ApiError } from './errors';

// nginx's status for a request the client abandoned; it only ever reaches logs.
const CLIENT_CLOSED_REQUEST = 499;

/** What a handler returns: an envelope to send as JSON, or a finished Response (files, text, redirects). */
export type HandlerResult = ApiResponse | Response;

/**
 * Wraps a route handler so it always answers: its ApiResponse as JSON, its Response as is, and
 * anything it throws as the error envelope (internal details logged, never sent). Long merges watch
 * `request.signal`, so a client that disconnects stops its merge.
 */
export function apiRoute<C>(
  handler: (request: Request, context: C) => Promise<HandlerResult>,
  log: ErrorLog = console.error,
): (request: Request, context: C) => Promise<Response> {
  return async (request, context) => {
    try {
      const result = await handler(request, context);
      return result instanceof Response ? result : json(result);
    } catch (err) {
      // A client that went away stopped the work on purpose: nothing to log, and no one to answer.
      if (request.signal.aborted) return new Response(null, { status: CLIENT_CLOSED_REQUEST });
      return json(errorResponse(err, log));
    }
  };
}

/** An envelope as a JSON Response with its status. */
function json(response: ApiResponse): Response {
  return Response.json(response.body, { status: response.status });
}

/**
 * Warnings for responses whose body is not the JSON envelope (pprof files, folded text): one
 * `Profd-Warning` header each. Header values must be Latin-1, so other characters are written as
 * `\uXXXX` escapes rather than dropped.
 */
function warningHeaders(warnings: readonly string[]): Headers {
  const headers = new Headers();
  for (const warning of warnings) {
    headers.append('Profd-Warning', warning.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  }
  return headers;
}

/**
 * `query_range`'s envelope with the series repeated as a top-level `series`: the Grafana datasource
 * built for Conprof (yeya24/conprof-datasource) reads `body.series`, the shape of Conprof's API before
 * it adopted the envelope, so both shapes are served.
 */
export function rangeResponse<T>(series: readonly T[], warnings: readonly string[]): Response {
  const { status, body } = success(series, warnings);
  return Response.json({ ...body, series }, { status });
}

/**
 * A rendered `/api/v1/query` report: JSON in the envelope, a gzipped pprof download as Conprof names
 * it (`profile.pb.gz`), or folded stacks as plain text; warnings go in the envelope or the headers.
 */
export function reportResponse(rendered: Rendered, warnings: readonly string[]): HandlerResult {
  if (rendered.kind === 'json') return success(rendered.data, warnings);
  const headers = warningHeaders(warnings);
  if (rendered.kind === 'text') {
    headers.set('content-type', 'text/plain; charset=utf-8');
    return new Response(rendered.text, { headers });
  }
  return fileResponse(rendered.bytes, 'profile.pb.gz', headers);
}

/** A download: the bytes as application/octet-stream, saved as `filename`. */
export function fileResponse(bytes: Uint8Array, filename: string, headers = new Headers()): Response {
  headers.set('content-type', 'application/octet-stream');
  headers.set('content-disposition', `attachment; filename=${/^[\w.-]+$/.test(filename) ? filename : JSON.stringify(filename)}`);
  // Profiles here are backed by plain ArrayBuffers; the DOM typings only doubt shared ones.
  return new Response(bytes as Uint8Array<ArrayBuffer>, { headers });
}

/**
 * The request body, refused with 413 as soon as it passes `maxBytes` (by its Content-Length, or
 * while streaming when that is absent or wrong), so an oversized upload is never held in memory.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => ApiError.tooLarge(`the request body is over the limit of ${maxBytes} bytes (PROFD_MAX_PROFILE_BYTES)`);
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks, size);
}

/** Refuses a request whose body is empty, naming what the route expected in it. */
export function requireBody(body: Uint8Array, expected: string): Uint8Array {
  if (body.byteLength === 0) throw new ApiError('bad_data', `the request body is empty: send ${expected}`);
  return body;
}

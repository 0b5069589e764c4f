/**
 * Drives the API's route handlers in-process with real `Request` objects, against the test file's
 * databases (test/helpers/db.ts): the handlers find their database through DATABASE_URL, as under
 * `npm start`, so each `forEachDatabase` block points it at its own database.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { POST as ingestRoute } from '../../app/api/v1/ingest/route';
import { closeAppDb } from '../../lib/query';
import type { TestDatabase } from './db';
import { fixtureBytes } from './db';

/** A route handler as Next.js calls it, with the dynamic segments of its path as `params`. */
export type Handler<P extends Record<string, string> = Record<string, string>> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

/** A response with its body read: `json` when the body is JSON, `text` always, `bytes` always. */
export interface ApiReply {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
  readonly text: string;
  /** The parsed body of a JSON response, typed loosely because tests index into every shape. */
  readonly json: any;
}

const ORIGIN = 'http://profd.test';

/** Points the route handlers at this block's database, and closes their pool after the block. */
export function useApiDatabase(get: () => TestDatabase): void {
  beforeAll(() => {
    process.env.DATABASE_URL = get().url;
  });
  afterAll(closeAppDb);
}

/** Calls `handler` with a GET of `path` (query string included); `params` are the dynamic path segments. */
export function get<P extends Record<string, string>>(handler: Handler<P>, path: string, params?: P): Promise<ApiReply> {
  return call(handler, new Request(ORIGIN + path), params);
}

/** Calls `handler` with a POST of `body` to `path`; a stream body is sent as it comes, without a length. */
export function post(handler: Handler, path: string, body: BodyInit, headers: HeadersInit = {}): Promise<ApiReply> {
  // Node requires `duplex` for stream bodies; the DOM typings do not know the option yet.
  const init = { method: 'POST', body, headers, duplex: 'half' } as RequestInit;
  return call(handler, new Request(ORIGIN + path, init));
}

/** Calls `handler` with a request and reads the whole response. */
export async function call<P extends Record<string, string>>(handler: Handler<P>, request: Request, params?: P): Promise<ApiReply> {
  const response = await handler(request, { params: Promise.resolve(params ?? ({} as P)) });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  return { status: response.status, headers: response.headers, bytes, text, json: isJson ? JSON.parse(text) : undefined };
}

/** A query string from pairs; repeated names (`match[]`) are given as repeated pairs. */
export function qs(pairs: Record<string, string | number> | [string, string | number][]): string {
  const entries = Array.isArray(pairs) ? pairs : Object.entries(pairs);
  return `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}`;
}

/** The bytes of a shared fixture as a request body. */
export function fixtureBody(file: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(fixtureBytes(file));
}

/** Stores a shared fixture through `POST /api/v1/ingest`, as a user would, failing the test if it is refused. */
export async function ingestFixture(file: string, series: string, timestampMs: number): Promise<void> {
  const reply = await post(ingestRoute, `/api/v1/ingest${qs({ series, timestamp: timestampMs })}`, fixtureBody(file));
  expect(reply.json, `ingesting ${file} as ${series}`).toMatchObject({ status: 'success' });
}

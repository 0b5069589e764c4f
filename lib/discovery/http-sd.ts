import { request, type Dispatcher } from 'undici';
import type { HttpSdConfig } from '../config/worker-config';
import { runRefreshLoop } from './refresh';
import { parseTargetGroups, type Discoverer, type DiscoveryErrorHandler, type TargetGroup } from './target-group';

// Far above any real target list; stops a misconfigured URL (a file download) from filling memory.
const MAX_SD_BODY_BYTES = 16 * 1024 * 1024;
const MAX_REQUEST_MS = 30_000;

/**
 * `http_sd_configs`, Prometheus' HTTP service discovery: GET the URL every refresh_interval and read
 * a JSON list of target groups. A non-2xx status, a non-JSON body or a bad document is an error that
 * keeps the last good groups. Each group gets `__meta_url`.
 */
export class HttpDiscoverer implements Discoverer {
  constructor(
    private readonly config: HttpSdConfig,
    private readonly onError: DiscoveryErrorHandler,
  ) {}

  run(signal: AbortSignal, onGroups: (groups: TargetGroup[]) => void): Promise<void> {
    return runRefreshLoop(signal, {
      intervalMs: this.config.refreshIntervalMs,
      refresh: (s) => this.fetchGroups(s),
      onGroups,
      onError: this.onError,
    });
  }

  private async fetchGroups(signal: AbortSignal): Promise<TargetGroup[]> {
    const { url } = this.config;
    const timeout = Math.min(this.config.refreshIntervalMs, MAX_REQUEST_MS);
    let response;
    try {
      response = await request(url, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeout)]),
        headers: { accept: 'application/json', 'user-agent': 'profd' },
      });
    } catch (err) {
      throw new Error(`http_sd: cannot fetch ${url}: ${(err as Error).message}`);
    }
    const { statusCode, headers, body } = response;
    if (statusCode < 200 || statusCode > 299) {
      discard(body);
      throw new Error(`http_sd: ${url} returned HTTP ${statusCode}; expected 200 with a JSON list of target groups`);
    }
    const text = await readLimited(body, url);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (err) {
      throw new Error(`http_sd: ${url} did not return JSON (content-type ${String(headers['content-type'] ?? 'none')}): ${(err as Error).message}`);
    }
    try {
      return parseTargetGroups(document, url, { __meta_url: url });
    } catch (err) {
      throw new Error(`http_sd: ${(err as Error).message}`);
    }
  }
}

async function readLimited(body: Dispatcher.ResponseData['body'], url: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_SD_BODY_BYTES) {
      discard(body);
      throw new Error(`http_sd: ${url} returned more than ${MAX_SD_BODY_BYTES} bytes; that is not a target list`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Drops a body we will not read; undici reports a destroyed unread body as an error nobody listens to. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

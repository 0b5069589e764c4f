import { collectCpuProfile, collectHeapProfile, ProfilerBusyError } from './profiler';

/** Longest CPU profile a request may ask for; Go's net/http/pprof has no cap, but a scrape timeout does. */
export const MAX_CPU_SECONDS = 300;
const DEFAULT_CPU_SECONDS = 30;

/** A framework-free HTTP response, so the worker's node:http server and Next.js route handlers share one handler. */
export interface PprofResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/** The profile names served under /debug/pprof/, as Go's net/http/pprof names them. */
export type SelfProfileName = 'profile' | 'heap';

/** Answers GET /debug/pprof/{profile,heap} for this process, with Go's query parameters (`seconds`). */
export async function serveSelfProfile(name: SelfProfileName, query: URLSearchParams): Promise<PprofResponse> {
  try {
    if (name === 'heap') return profileResponse(await collectHeapProfile(), 'heap');
    const seconds = parseSeconds(query.get('seconds'));
    if (typeof seconds === 'string') return textResponse(400, seconds);
    return profileResponse(await collectCpuProfile(seconds), 'profile');
  } catch (err) {
    if (err instanceof ProfilerBusyError) return textResponse(409, err.message);
    throw err;
  }
}

function parseSeconds(raw: string | null): number | string {
  if (raw === null || raw === '') return DEFAULT_CPU_SECONDS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_CPU_SECONDS) {
    return `seconds must be a whole number from 1 to ${MAX_CPU_SECONDS}, got ${JSON.stringify(raw)}`;
  }
  return seconds;
}

function profileResponse(body: Uint8Array, name: SelfProfileName): PprofResponse {
  return {
    status: 200,
    headers: {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${name}.pb.gz"`,
      'cache-control': 'no-store',
    },
    body,
  };
}

function textResponse(status: number, message: string): PprofResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `${message}\n` };
}

import * as pprof from '@datadog/pprof';

/** Heap sampling: one sample per 512 KiB allocated on average, stacks up to 64 frames (Go's defaults are similar). */
const HEAP_SAMPLE_INTERVAL_BYTES = 512 * 1024;
const HEAP_STACK_DEPTH = 64;

let heapStarted = false;
let cpuBusy = false;

/** Thrown when a second CPU profile is asked for while one is being collected (V8 runs one at a time). */
export class ProfilerBusyError extends Error {
  override readonly name = 'ProfilerBusyError';
  constructor() {
    super('a CPU profile is already being collected in this process; try again when it finishes');
  }
}

/** Samples this process's CPU for `seconds` and returns the gzipped pprof profile. */
export async function collectCpuProfile(seconds: number): Promise<Uint8Array> {
  if (cpuBusy) throw new ProfilerBusyError();
  cpuBusy = true;
  try {
    const profile = await pprof.time.profile({ durationMillis: seconds * 1000 });
    return await pprof.encode(profile);
  } finally {
    cpuBusy = false;
  }
}

/**
 * Returns the gzipped pprof heap profile of this process. Sampling starts on the first call, so the first
 * profile only shows allocations since then; call `startHeapSampling` at start-up to avoid that.
 */
export async function collectHeapProfile(): Promise<Uint8Array> {
  startHeapSampling();
  return pprof.encode(pprof.heap.profile());
}

/** Starts V8's sampling heap profiler once per process. */
export function startHeapSampling(): void {
  if (heapStarted) return;
  pprof.heap.start(HEAP_SAMPLE_INTERVAL_BYTES, HEAP_STACK_DEPTH);
  heapStarted = true;
}

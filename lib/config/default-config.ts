/** The worker's own pprof port, where it serves its heap and CPU profiles. */
export const WORKER_PPROF_PORT = 9101;

/**
 * The config used when none is given: profd profiles itself, so a fresh `npm start` has data to look
 * at within a minute. Node serves heap and CPU profiles only, so the other Go types are switched off;
 * the CPU profile is short to keep the overhead of profiling ourselves small.
 */
export function defaultConfigText(webPort: number, workerAddress = `127.0.0.1:${WORKER_PPROF_PORT}`): string {
  return `# profd's default config: scrape profd's own worker and web app.
global:
  scrape_interval: 15s
  scrape_timeout: 15s

scrape_configs:
  - job_name: profd
    static_configs:
      - targets: ['${workerAddress}']
        labels: { component: worker }
      - targets: ['127.0.0.1:${webPort}']
        labels: { component: web }
    profiling_config:
      pprof_config:
        heap: { enabled: true, path: /debug/pprof/heap }
        profile: { enabled: true, path: /debug/pprof/profile, seconds: 5 }
        allocs: { enabled: false }
        block: { enabled: false }
        goroutine: { enabled: false }
        mutex: { enabled: false }
        threadcreate: { enabled: false }
`;
}

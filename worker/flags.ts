import { parseArgs } from 'node:util';
import { parseListenAddress, type ListenAddress } from '../lib/config/env';

/** The worker's command line, after validation. */
export interface WorkerFlags {
  /** `--config.file`; read by loadConfigFromSource, which also falls back to PROFD_CONFIG. */
  readonly configFile: string | undefined;
  /** `--web.listen-address`, overriding PROFD_WORKER_LISTEN. */
  readonly listen: ListenAddress | undefined;
  readonly help: boolean;
}

/** What `--help` prints. */
export const USAGE = `usage: npm run worker -- [flags]

  --config.file <path>             scrape config (default: PROFD_CONFIG, else the built-in config
                                   that scrapes profd itself)
  --web.listen-address <host:port> where /metrics, /-/ready, /-/healthy, /-/reload and
                                   /debug/pprof/ are served (default: PROFD_WORKER_LISTEN or
                                   127.0.0.1:9101)
  -h, --help                       this text
`;

/** Parses the worker's flags (Prometheus' names), refusing unknown ones with the usage text. */
export function parseWorkerFlags(argv: readonly string[]): WorkerFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'config.file': { type: 'string' },
        'web.listen-address': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n\n${USAGE}`);
  }
  const address = values['web.listen-address'];
  let listen: ListenAddress | undefined;
  if (address !== undefined) {
    try {
      listen = parseListenAddress(address);
    } catch (err) {
      throw new Error(`--web.listen-address=${JSON.stringify(address)}: ${(err as Error).message}`);
    }
  }
  return { configFile: values['config.file'], listen, help: values.help ?? false };
}

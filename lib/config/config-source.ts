import { defaultConfigText } from './default-config';
import { loadWorkerConfig, parseWorkerConfig, type WorkerConfig } from './worker-config';

/** Where the worker's config comes from: the command line, the environment, or the built-in default. */
export interface ConfigSourceInput {
  /** Command-line arguments after the script, e.g. `['--config.file', 'profd.yml']`. */
  readonly argv: readonly string[];
  /** The value of PROFD_CONFIG, read and validated by lib/config/env.ts. */
  readonly envConfigPath?: string;
  /** The web app's port, scraped by the default config. */
  readonly webPort: number;
  /** Where the worker's own pprof endpoints listen (`host:port`), scraped by the default config. */
  readonly workerAddress?: string;
}

/** The config file named by `--config.file` (or `--config.file=…`), else PROFD_CONFIG, else null. */
export function configFilePath(input: Pick<ConfigSourceInput, 'argv' | 'envConfigPath'>): string | null {
  const { argv } = input;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config.file') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error('--config.file needs a path, e.g. --config.file profd.yml');
      return value;
    }
    if (argv[i].startsWith('--config.file=')) return argv[i].slice('--config.file='.length);
  }
  return input.envConfigPath || null;
}

/** Loads the config the worker should run: the named file, or the default that scrapes profd itself. */
export async function loadConfigFromSource(input: ConfigSourceInput): Promise<WorkerConfig> {
  const path = configFilePath(input);
  if (path !== null) return loadWorkerConfig(path);
  return parseWorkerConfig(defaultConfigText(input.webPort, input.workerAddress), { source: '(built-in default config)' });
}

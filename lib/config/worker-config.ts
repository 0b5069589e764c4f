import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { RelabelRule } from '../relabel/config';
import type { Labels } from '../selector/matcher';
import { ConfigError, formatProblem, problemsFromZod } from './config-error';
import { crossFieldProblems } from './config-rules';
import { resolveProfileTypes, type ProfileTypeConfig } from './profile-types';
import { workerConfigSchema, type RawScrapeConfig, type RawWorkerConfig } from './scrape-config-schema';

export type { ProfileTypeConfig } from './profile-types';

/** A `static_configs` entry: fixed `host:port` targets and labels for all of them. */
export interface StaticConfig { readonly targets: readonly string[]; readonly labels: Labels }
/** A `file_sd_configs` entry: file paths (absolute; `*` allowed in the file name) re-read on change. */
export interface FileSdConfig { readonly files: readonly string[]; readonly refreshIntervalMs: number }
/** An `http_sd_configs` entry: a Prometheus HTTP SD endpoint, polled. */
export interface HttpSdConfig { readonly url: string; readonly refreshIntervalMs: number }
/** A `dns_sd_configs` entry: names resolved as A, AAAA or SRV records. */
export interface DnsSdConfig {
  readonly names: readonly string[];
  readonly type: 'A' | 'AAAA' | 'SRV';
  /** The port for A and AAAA records (SRV records carry their own); null for SRV. */
  readonly port: number | null;
  readonly refreshIntervalMs: number;
}

/** One job, with every default applied. */
export interface ScrapeConfig {
  readonly jobName: string;
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  readonly scheme: 'http' | 'https';
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly bodySizeLimitBytes: number;
  readonly staticConfigs: readonly StaticConfig[];
  readonly fileSdConfigs: readonly FileSdConfig[];
  readonly httpSdConfigs: readonly HttpSdConfig[];
  readonly dnsSdConfigs: readonly DnsSdConfig[];
  readonly relabelConfigs: readonly RelabelRule[];
  /** Every profile type, enabled or not, sorted by name. */
  readonly profiles: readonly ProfileTypeConfig[];
}

/** The `global` section with defaults applied. */
export interface GlobalConfig {
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  readonly bodySizeLimitBytes: number;
  readonly externalLabels: Labels;
}

/** A loaded worker config: typed, plus the YAML text it came from (served at /api/v1/status/config). */
export interface WorkerConfig {
  readonly global: GlobalConfig;
  readonly scrapeConfigs: readonly ScrapeConfig[];
  readonly source: string;
  readonly text: string;
}

/** Conprof's global defaults (1m/1m, so the default 30 s CPU profile fits) and a 64 MiB body limit. */
const GLOBAL_DEFAULTS: GlobalConfig = {
  scrapeIntervalMs: 60_000,
  scrapeTimeoutMs: 60_000,
  bodySizeLimitBytes: 64 * 1024 * 1024,
  externalLabels: {},
};

const DEFAULT_FILE_SD_REFRESH_MS = 5 * 60_000;
const DEFAULT_HTTP_SD_REFRESH_MS = 60_000;
const DEFAULT_DNS_SD_REFRESH_MS = 30_000;

/** Reads and parses a config file; relative file_sd paths resolve against the file's directory. */
export async function loadWorkerConfig(path: string): Promise<WorkerConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read the config file: ${(err as Error).message}`]);
  }
  return parseWorkerConfig(text, { source: path, directory: dirname(resolve(path)) });
}

/**
 * Parses a config's YAML text strictly, applies the defaults, then checks the cross-field rules.
 * Throws a ConfigError listing every problem, each with its path and job.
 */
export function parseWorkerConfig(text: string, options: { source?: string; directory?: string } = {}): WorkerConfig {
  const source = options.source ?? 'config';
  let yaml: unknown;
  try {
    yaml = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(source, [`not valid YAML: ${(err as Error).message.trimEnd()}`]);
  }
  const parsed = workerConfigSchema.safeParse(yaml);
  if (!parsed.success) throw new ConfigError(source, problemsFromZod(parsed.error).map((p) => formatProblem(p, yaml)));
  const global = resolveGlobal(parsed.data);
  const rawJobs = parsed.data.scrape_configs ?? [];
  const scrapeConfigs = rawJobs.map((job) => resolveJob(job, global, options.directory ?? process.cwd()));
  const problems = crossFieldProblems(scrapeConfigs, rawJobs);
  if (problems.length > 0) throw new ConfigError(source, problems.map((p) => formatProblem(p, yaml)));
  return { global, scrapeConfigs, source, text };
}

function resolveGlobal(raw: RawWorkerConfig): GlobalConfig {
  const g = raw.global ?? {};
  return {
    scrapeIntervalMs: g.scrape_interval ?? GLOBAL_DEFAULTS.scrapeIntervalMs,
    scrapeTimeoutMs: g.scrape_timeout ?? GLOBAL_DEFAULTS.scrapeTimeoutMs,
    bodySizeLimitBytes: g.body_size_limit ?? GLOBAL_DEFAULTS.bodySizeLimitBytes,
    externalLabels: g.external_labels ?? {},
  };
}

function resolveJob(raw: RawScrapeConfig, global: GlobalConfig, directory: string): ScrapeConfig {
  const interval = raw.scrape_interval ?? global.scrapeIntervalMs;
  // Prometheus' rule: an unset timeout is the global one, cut to the job's interval.
  const timeout = raw.scrape_timeout ?? Math.min(global.scrapeTimeoutMs, interval);
  return {
    jobName: raw.job_name,
    scrapeIntervalMs: interval,
    scrapeTimeoutMs: timeout,
    scheme: raw.scheme ?? 'http',
    params: raw.params ?? {},
    bodySizeLimitBytes: raw.body_size_limit ?? global.bodySizeLimitBytes,
    staticConfigs: (raw.static_configs ?? []).map((s) => ({ targets: s.targets, labels: s.labels ?? {} })),
    fileSdConfigs: (raw.file_sd_configs ?? []).map((f) => ({
      files: f.files.map((file) => (isAbsolute(file) ? file : resolve(directory, file))),
      refreshIntervalMs: f.refresh_interval ?? DEFAULT_FILE_SD_REFRESH_MS,
    })),
    httpSdConfigs: (raw.http_sd_configs ?? []).map((h) => ({ url: h.url, refreshIntervalMs: h.refresh_interval ?? DEFAULT_HTTP_SD_REFRESH_MS })),
    dnsSdConfigs: (raw.dns_sd_configs ?? []).map((d) => ({
      names: d.names,
      type: d.type ?? 'SRV',
      port: d.port ?? null,
      refreshIntervalMs: d.refresh_interval ?? DEFAULT_DNS_SD_REFRESH_MS,
    })),
    relabelConfigs: raw.relabel_configs ?? [],
    profiles: resolveProfileTypes(raw, interval, timeout),
  };
}

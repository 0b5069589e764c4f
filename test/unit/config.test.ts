import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/config-error';
import { loadWorkerConfig, parseWorkerConfig, type ScrapeConfig } from '../../lib/config/worker-config';

const dir = new URL('../fixtures/config/', import.meta.url).pathname;
const job = "scrape_configs[0] (job \"api\")";

// Every *.bad.yml fixture and the exact problems it must be refused with (Prometheus' config_test.go style).
const bad: Record<string, string[]> = {
  'unknown-field.bad.yml': [`${job}.scrape_intervall: unknown field (check its spelling and indentation)`],
  'bad-duration.bad.yml': [`${job}.scrape_interval: not a valid duration: "10 seconds" (use Prometheus syntax such as 15s, 1m30s, 2h, 7d)`],
  'number-duration.bad.yml': ['global.scrape_interval: expected a duration such as 15s or 1m30s'],
  'cpu-seconds-over-timeout.bad.yml': [`${job}.profiling_config.pprof_config.profile.seconds: a 10s profile must end before scrape_timeout (10s); raise scrape_timeout or lower seconds`],
  'short-timeout-cpu.bad.yml': [
    'scrape_configs[0] (job "fast").profiling_config.pprof_config.profile.seconds: scrape_timeout (1s) leaves no whole second for the CPU profile; raise scrape_timeout to 2s or more or disable it with `profile: { enabled: false }`',
  ],
  'duplicate-job.bad.yml': ['scrape_configs[2] (job "api").job_name: job name "api" is already used by scrape_configs[0]; job names must be unique'],
  'url-target.bad.yml': [`${job}.static_configs[0].targets[0]: a target is host:port, not a URL (set the scheme with \`scheme\` and the path in pprof_config)`],
  'custom-type-no-path.bad.yml': [`${job}.profiling_config.pprof_config.fgprof.path: a custom profile type needs a path, e.g. path: /debug/fgprof`],
  'bad-relabel-action.bad.yml': [
    `${job}.relabel_configs[0].action: unknown relabel action (valid: replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase)`,
  ],
  'bad-regex.bad.yml': [`${job}.relabel_configs[0].regex: regex "(.*" does not compile: Unterminated group`],
  'hashmod-no-modulus.bad.yml': ['scrape_configs[0] (job "shard").relabel_configs[0]: the hashmod action needs a modulus above 0'],
  'dns-a-no-port.bad.yml': ['scrape_configs[0] (job "dns").dns_sd_configs[0].port: A and AAAA records carry no port: set port (only SRV records bring their own)'],
  'file-sd-glob-in-dir.bad.yml': ['scrape_configs[0] (job "files").file_sd_configs[0].files[0]: a file_sd path ends in .json, .yml or .yaml and may hold a * only in the file name'],
  'delta-and-seconds.bad.yml': ['scrape_configs[0] (job "delta").profiling_config.pprof_config.heap.seconds: set either delta (which asks for seconds=<scrape_interval>) or seconds, not both'],
  'delta-timeout.bad.yml': [
    'scrape_configs[0] (job "delta").profiling_config.pprof_config.heap.delta: a delta profile lasts the whole scrape_interval (10s), so scrape_timeout (10s) must be longer; raise scrape_timeout, e.g. to 13s',
  ],
  'missing-job-name.bad.yml': ['scrape_configs[0].job_name: every scrape config needs a job_name'],
  'bad-label-name.bad.yml': [`${job}.static_configs[0].labels["my-team"]: invalid name: not a valid label name (use letters, digits and _, not starting with a digit)`],
  'bad-body-size.bad.yml': [`${job}.body_size_limit: not a valid size: "64 megabytes" (use a positive size such as 64MiB, 512KiB or 1GiB)`],
  'numeric-label-value.bad.yml': ['global.external_labels.replica: label values must be strings (quote numbers)'],
  'bad-scheme.bad.yml': [`${job}.scheme: scheme must be http or https`],
};

async function problemsOf(file: string): Promise<readonly string[]> {
  try {
    await loadWorkerConfig(dir + file);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('worker config: bad files', () => {
  it('has an expectation for every *.bad.yml fixture', () => {
    const covered = [...Object.keys(bad), 'not-yaml.bad.yml'].sort();
    expect(readdirSync(dir).filter((f) => f.endsWith('.bad.yml')).sort()).toEqual(covered);
  });

  it.each(Object.entries(bad))('%s', async (file, expected) => {
    expect(await problemsOf(file)).toEqual(expected);
  });

  it('names the YAML syntax error with its line', async () => {
    const [problem] = await problemsOf('not-yaml.bad.yml');
    expect(problem).toMatch(/^not valid YAML: .* at line 4, column 1/);
  });

  it('reports every problem at once, each with its job', () => {
    const text = 'scrape_configs:\n  - job_name: a\n    scrape_intervl: 1m\n  - job_name: b\n    scheme: gopher\n';
    expect(() => parseWorkerConfig(text)).toThrow(/job "a"\)\.scrape_intervl: unknown field[^]*job "b"\)\.scheme: scheme must be http or https/);
  });
});

const profile = (cfg: ScrapeConfig, name: string) => cfg.profiles.find((p) => p.name === name);

describe('worker config: good files', () => {
  it('applies Conprof defaults to a minimal job', async () => {
    const config = await loadWorkerConfig(`${dir}minimal.good.yml`);
    const [app] = config.scrapeConfigs;
    expect(app).toMatchObject({ jobName: 'app', scrapeIntervalMs: 60_000, scrapeTimeoutMs: 60_000, scheme: 'http', bodySizeLimitBytes: 64 * 1024 * 1024 });
    expect(app.profiles.filter((p) => p.enabled).map((p) => `${p.name} ${p.path}${p.seconds ? ` ${p.seconds}s` : ''}`)).toEqual([
      'allocs /debug/pprof/allocs',
      'block /debug/pprof/block',
      'goroutine /debug/pprof/goroutine',
      'heap /debug/pprof/heap',
      'mutex /debug/pprof/mutex',
      'profile /debug/pprof/profile 30s',
      'threadcreate /debug/pprof/threadcreate',
    ]);
  });

  it('reads the Conprof example with custom types, SD configs and relabeling', async () => {
    const config = await loadWorkerConfig(`${dir}conprof.good.yml`);
    const [api] = config.scrapeConfigs;
    expect(config.global.externalLabels).toEqual({ region: 'eu-west-1' });
    expect(config.text).toContain('job_name: api');
    expect(api.staticConfigs).toEqual([{ targets: ['127.0.0.1:6060'], labels: { env: 'prod' } }]);
    expect(api.fileSdConfigs).toEqual([{ files: [`${dir}targets/*.json`, '/etc/profd/extra.yml'], refreshIntervalMs: 60_000 }]);
    expect(api.httpSdConfigs).toEqual([{ url: 'http://127.0.0.1:8000/sd', refreshIntervalMs: 60_000 }]);
    expect(api.dnsSdConfigs).toEqual([{ names: ['_pprof._tcp.example.internal'], type: 'SRV', port: null, refreshIntervalMs: 30_000 }]);
    expect(api.relabelConfigs.map((r) => r.action)).toEqual(['replace', 'labeldrop']);
    expect(api.params).toEqual({ debug: ['0'] });
    expect(profile(api, 'fgprof')).toMatchObject({ enabled: true, path: '/debug/fgprof', seconds: 10 });
    expect(profile(api, 'profile')?.seconds).toBe(10);
    expect([api.scrapeIntervalMs, api.scrapeTimeoutMs]).toEqual([10_000, 15_000]);
  });

  it("applies Parca's delta, keep_sample_type and path_prefix", async () => {
    const [delta] = (await loadWorkerConfig(`${dir}parca-extras.good.yml`)).scrapeConfigs;
    expect(delta.bodySizeLimitBytes).toBe(16 * 1024 * 1024);
    expect(profile(delta, 'allocs')).toEqual({
      name: 'allocs', enabled: true, path: '/service/debug/pprof/allocs', seconds: 10, delta: true, keepSampleTypes: [{ type: 'alloc_space', unit: 'bytes' }],
    });
    expect(profile(delta, 'profile')).toMatchObject({ path: '/service/debug/pprof/profile', seconds: 5, delta: false });
    expect(profile(delta, 'block')?.enabled).toBe(false);
  });

  it('cuts the default timeout to the interval and the CPU profile to the timeout', async () => {
    const [dns, files] = (await loadWorkerConfig(`${dir}sd-defaults.good.yml`)).scrapeConfigs;
    expect([dns.scrapeIntervalMs, dns.scrapeTimeoutMs, profile(dns, 'profile')?.seconds]).toEqual([30_000, 30_000, 29]);
    expect([files.scrapeIntervalMs, files.scrapeTimeoutMs, profile(files, 'profile')?.seconds]).toEqual([5_000, 5_000, 4]);
    expect(files.fileSdConfigs[0]).toEqual({ files: [`${dir}sd/targets.yaml`], refreshIntervalMs: 300_000 });
    expect(dns.dnsSdConfigs[0]).toMatchObject({ type: 'A', port: 6060 });
  });

  it('accepts an empty file as a config with no jobs', async () => {
    expect((await loadWorkerConfig(`${dir}empty.good.yml`)).scrapeConfigs).toEqual([]);
  });

  it('names a file it cannot read', async () => {
    await expect(loadWorkerConfig(`${dir}missing.yml`)).rejects.toThrow(/missing\.yml:\n {2}cannot read the config file: ENOENT/);
  });
});

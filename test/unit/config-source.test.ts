import { describe, expect, it } from 'vitest';
import { configFilePath, loadConfigFromSource } from '../../lib/config/config-source';
import { WORKER_PPROF_PORT } from '../../lib/config/default-config';
import { targetsFromGroup } from '../../lib/scrape/targets-from-group';

describe('which config file the worker reads', () => {
  it.each([
    [['--config.file', 'a.yml'], 'env.yml', 'a.yml'],
    [['--config.file=b.yml'], 'env.yml', 'b.yml'],
    [[], 'env.yml', 'env.yml'],
    [[], undefined, null],
    [[], '', null],
  ])('argv %j with PROFD_CONFIG=%j reads %j', (argv, envConfigPath, expected) => {
    expect(configFilePath({ argv, envConfigPath })).toBe(expected);
  });

  it('refuses --config.file without a path', () => {
    expect(() => configFilePath({ argv: ['--config.file', '--other'] })).toThrow('--config.file needs a path, e.g. --config.file profd.yml');
  });
});

describe('the default config', () => {
  it("scrapes the worker's and the web app's heap and a short CPU profile", async () => {
    const config = await loadConfigFromSource({ argv: [], webPort: 3000 });
    const [job] = config.scrapeConfigs;
    expect(config.source).toBe('(built-in default config)');
    const urls = job.staticConfigs.flatMap((group, i) =>
      targetsFromGroup(job, { source: String(i), targets: group.targets.map((t) => ({ __address__: t })), labels: group.labels }).active.map((t) => `${t.labels.component} ${t.url}`),
    );
    expect(urls.sort()).toEqual([
      'web http://127.0.0.1:3000/debug/pprof/heap',
      'web http://127.0.0.1:3000/debug/pprof/profile?seconds=5',
      `worker http://127.0.0.1:${WORKER_PPROF_PORT}/debug/pprof/heap`,
      `worker http://127.0.0.1:${WORKER_PPROF_PORT}/debug/pprof/profile?seconds=5`,
    ]);
  });

  it('is replaced by the named file', async () => {
    const config = await loadConfigFromSource({ argv: ['--config.file', 'test/fixtures/config/minimal.good.yml'], webPort: 3000 });
    expect(config.scrapeConfigs.map((j) => j.jobName)).toEqual(['app']);
  });
});

import { formatDuration } from '../time/duration';
import type { ConfigProblem } from './config-error';
import { CPU_PROFILE } from './profile-types';
import type { RawScrapeConfig } from './scrape-config-schema';
import type { ScrapeConfig } from './worker-config';

/**
 * The rules that span fields, checked once every default is in place (Prometheus' config checks plus
 * Conprof's and Parca's): profiles fit timeouts, job names are unique. A timeout longer than the interval
 * is allowed, as Conprof allows it (a CPU or delta profile may span the whole interval); the loop then
 * skips the ticks a long scrape overlaps rather than running two scrapes of one target at once.
 */
export function crossFieldProblems(jobs: readonly ScrapeConfig[], raw: readonly RawScrapeConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const firstIndex = new Map<string, number>();
  jobs.forEach((job, i) => {
    const seen = firstIndex.get(job.jobName);
    if (seen !== undefined) {
      problems.push({ path: ['scrape_configs', i, 'job_name'], message: `job name ${JSON.stringify(job.jobName)} is already used by scrape_configs[${seen}]; job names must be unique` });
    } else {
      firstIndex.set(job.jobName, i);
    }
    problems.push(...jobProblems(job, raw[i]).map((p) => ({ path: ['scrape_configs', i, ...p.path], message: p.message })));
  });
  return problems;
}

function jobProblems(job: ScrapeConfig, raw: RawScrapeConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const interval = formatDuration(job.scrapeIntervalMs);
  const timeout = formatDuration(job.scrapeTimeoutMs);
  for (const profile of job.profiles) {
    const path = ['profiling_config', 'pprof_config', profile.name];
    const given = raw.profiling_config?.pprof_config?.[profile.name];
    if (profile.path === '') problems.push({ path: [...path, 'path'], message: `a custom profile type needs a path, e.g. path: /debug/${profile.name}` });
    if (given?.delta && given.seconds !== undefined) {
      problems.push({ path: [...path, 'seconds'], message: 'set either delta (which asks for seconds=<scrape_interval>) or seconds, not both' });
    }
    if (!profile.enabled || profile.seconds === null) continue;
    if (profile.seconds < 1) {
      problems.push({ path: [...path, profile.delta ? 'delta' : 'seconds'], message: cannotFit(profile.name, profile.delta, interval, timeout) });
    } else if (profile.seconds * 1000 >= job.scrapeTimeoutMs) {
      const message = profile.delta
        ? `a delta profile lasts the whole scrape_interval (${interval}), so scrape_timeout (${timeout}) must be longer; raise scrape_timeout, e.g. to ${formatDuration(job.scrapeIntervalMs + 3000)}`
        : `a ${profile.seconds}s profile must end before scrape_timeout (${timeout}); raise scrape_timeout or lower seconds`;
      problems.push({ path: [...path, profile.delta ? 'delta' : 'seconds'], message });
    }
  }
  return problems;
}

function cannotFit(name: string, delta: boolean, interval: string, timeout: string): string {
  if (delta) return `a delta profile needs a scrape_interval of at least 1s (it is ${interval})`;
  const disable = `or disable it with \`${name}: { enabled: false }\``;
  return name === CPU_PROFILE
    ? `scrape_timeout (${timeout}) leaves no whole second for the CPU profile; raise scrape_timeout to 2s or more ${disable}`
    : `seconds must be at least 1 ${disable}`;
}

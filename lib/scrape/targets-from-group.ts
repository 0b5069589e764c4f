import type { ProfileTypeConfig, ScrapeConfig } from '../config/worker-config';
import type { TargetGroup } from '../discovery/target-group';
import { relabel } from '../relabel/relabel';
import type { Labels } from '../selector/matcher';
import { targetHash, targetUrl, type DroppedTarget, type ScrapeTarget } from './target';

/** The targets one group yields for one job: those to scrape, those relabeling dropped, and errors. */
export interface GroupTargets {
  readonly active: ScrapeTarget[];
  readonly dropped: DroppedTarget[];
  /** Targets that could not be built (no address, a URL as address…), each message naming the target. */
  readonly errors: string[];
}

/**
 * Expands a discovered group into one target per enabled profile type (Parca's `targetsFromGroup`):
 * group labels under target labels, then `__name__`, `__metrics_path__`, `job`, `__scheme__` and
 * `__param_*` (the profile's `seconds` included), then the job's relabeling, then `instance` and the
 * default port, then every `__` label but `__name__` removed. External labels fill in what is left.
 */
export function targetsFromGroup(job: ScrapeConfig, group: TargetGroup, externalLabels: Labels = {}): GroupTargets {
  const result: GroupTargets = { active: [], dropped: [], errors: [] };
  for (const discovered of group.targets) {
    for (const profile of job.profiles.filter((p) => p.enabled)) {
      const before = labelsBeforeRelabeling(job, profile, { ...group.labels, ...discovered });
      const after = relabel(before, job.relabelConfigs);
      if (after === null) {
        result.dropped.push({ job: job.jobName, discoveredLabels: before });
        continue;
      }
      const built = buildTarget(job, profile, before, after, externalLabels);
      if (typeof built === 'string') result.errors.push(`job ${JSON.stringify(job.jobName)}, group ${JSON.stringify(group.source)}: ${built}`);
      else result.active.push(built);
    }
  }
  return result;
}

function labelsBeforeRelabeling(job: ScrapeConfig, profile: ProfileTypeConfig, discovered: Labels): Labels {
  const labels: Record<string, string> = { job: job.jobName, __scheme__: job.scheme, ...discovered };
  labels.__name__ = profile.name;
  labels.__metrics_path__ = profile.path;
  for (const [name, values] of Object.entries(job.params)) {
    if (values.length > 0 && !labels[`__param_${name}`]) labels[`__param_${name}`] = values[0];
  }
  if (profile.seconds !== null) labels.__param_seconds = String(profile.seconds);
  return labels;
}

/** The target, or a message saying why the relabeled labels cannot be scraped. */
function buildTarget(job: ScrapeConfig, profile: ProfileTypeConfig, before: Labels, after: Labels, external: Labels): ScrapeTarget | string {
  const address = after.__address__;
  const scheme = after.__scheme__;
  if (!address) return `target ${JSON.stringify(before.__address__ ?? '')} has no __address__ after relabeling`;
  if (address.includes('/')) return `__address__ ${JSON.stringify(address)} is not host:port (it looks like a URL)`;
  if (scheme !== 'http' && scheme !== 'https') return `__scheme__ ${JSON.stringify(scheme ?? '')} of ${address} is not http or https`;
  if (!after.__name__) return `relabeling removed __name__ from ${address}; it names the profile type`;
  const withPort = hasPort(address) ? address : `${address}:${scheme === 'https' ? 443 : 80}`;
  const scrapeLabels = { ...after, __address__: withPort };
  const stored: Record<string, string> = { ...external };
  for (const [name, value] of Object.entries({ instance: withPort, ...scrapeLabels })) {
    if (name === '__name__' || !name.startsWith('__')) stored[name] = value;
  }
  const target = {
    job: job.jobName,
    profileType: after.__name__,
    url: targetUrl(scrapeLabels, job.params),
    labels: stored,
    discoveredLabels: before,
    intervalMs: job.scrapeIntervalMs,
    timeoutMs: job.scrapeTimeoutMs,
    maxBodyBytes: job.bodySizeLimitBytes,
    keepSampleTypes: profile.keepSampleTypes,
  };
  return { ...target, hash: targetHash(target) };
}

function hasPort(address: string): boolean {
  return /^\[.*\]:\d+$/.test(address) || /^[^:[\]]*:\d+$/.test(address);
}

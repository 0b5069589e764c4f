import { createHash } from 'node:crypto';
import type { ValueType } from '../pprof/model';
import type { Labels } from '../selector/matcher';

/** One scrape target: a (discovered endpoint × profile type) pair with everything its loop needs. */
export interface ScrapeTarget {
  readonly job: string;
  /** The profile type's name, also the `__name__` label. */
  readonly profileType: string;
  readonly url: string;
  /** The labels stored with each profile: `__name__`, `job`, `instance` and any kept by relabeling. */
  readonly labels: Labels;
  /** The labels before relabeling, as discovery found them (shown on the targets page). */
  readonly discoveredLabels: Labels;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /** Sample types to keep; empty keeps all. */
  readonly keepSampleTypes: readonly ValueType[];
  /** Identity of the target: equal hashes mean the same loop can keep running. */
  readonly hash: string;
}

/** A target that relabeling dropped, kept with its discovered labels so users can see why it is missing. */
export interface DroppedTarget {
  readonly job: string;
  readonly discoveredLabels: Labels;
}

/**
 * The target's identity: its labels, URL and scrape settings. Any change to them gives a new hash, so
 * the manager restarts that loop; an unchanged target keeps its loop and its rhythm.
 */
export function targetHash(t: Omit<ScrapeTarget, 'hash'>): string {
  const labels = Object.entries(t.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const identity = JSON.stringify([labels, t.url, t.intervalMs, t.timeoutMs, t.maxBodyBytes, t.keepSampleTypes]);
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

/**
 * How long to wait before the first scrape, as Prometheus' `Target.offset`: each target scrapes at a
 * fixed phase of its interval picked by its hash, so load spreads evenly and a restart keeps the phase.
 */
export function scrapeOffsetMs(hash: string, intervalMs: number, nowMs: number): number {
  const phase = Number(BigInt(`0x${hash}`) % BigInt(intervalMs));
  const untilIntervalStart = intervalMs - (nowMs % intervalMs);
  const next = untilIntervalStart + phase;
  return next > intervalMs ? next - intervalMs : next;
}

/**
 * The scrape URL from the relabeled labels: `__scheme__://__address____metrics_path__`, with the job's
 * params and every `__param_<name>` label as query parameters (a label replaces the first value).
 */
export function targetUrl(labels: Labels, params: Readonly<Record<string, readonly string[]>>): string {
  const query = new URLSearchParams();
  const overrides = new Map(
    Object.entries(labels)
      .filter(([name]) => name.startsWith('__param_'))
      .map(([name, value]) => [name.slice('__param_'.length), value]),
  );
  for (const [name, values] of Object.entries(params)) {
    values.forEach((value, i) => query.append(name, i === 0 && overrides.has(name) ? (overrides.get(name) as string) : value));
  }
  for (const [name, value] of overrides) if (!query.has(name)) query.append(name, value);
  const search = query.toString();
  return `${labels.__scheme__}://${labels.__address__}${labels.__metrics_path__ ?? ''}${search ? `?${search}` : ''}`;
}

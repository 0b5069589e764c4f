/**
 * The targets page's model, pure: the API lists one entry per (endpoint × profile type); the page shows
 * one row per endpoint with a badge per profile type, rows grouped by job, and filters them.
 */
import type { ActiveTarget, DroppedTargetInfo } from '@/lib/db/targets';
import type { Labels } from '@/lib/selector/matcher';

/** What `GET /api/v1/targets` answers. */
export interface TargetsData {
  readonly activeTargets: readonly ActiveTarget[];
  readonly droppedTargets: readonly DroppedTargetInfo[];
}

export type Health = ActiveTarget['health'];

/** One scraped endpoint of a job: every profile type scraped from it with the same labels. */
export interface TargetRow {
  /** Stable across refreshes, so React keeps the row (and what the user had open) in place. */
  readonly key: string;
  readonly job: string;
  /** The `instance` label, or the URL's host:port when relabeling removed it. */
  readonly instance: string;
  /** `scheme://host:port` of the scrape URLs. */
  readonly endpoint: string;
  /** The stored labels, without `__name__` (which is each scrape's profile type). */
  readonly labels: Labels;
  /** One entry per profile type, by type name. */
  readonly scrapes: readonly ActiveTarget[];
  /** The worst of the scrapes' healths: one failing profile type makes the endpoint down. */
  readonly health: Health;
  /** The most recent scrape of any profile type, in ms; null before the first one. */
  readonly lastScrapeMs: number | null;
  /** The longest last scrape of any profile type, in seconds (CPU profiles take their `seconds`). */
  readonly longestScrapeSeconds: number | null;
}

/** How many of a job's endpoints have every profile type up. */
export interface HealthSummary {
  readonly up: number;
  readonly total: number;
}

export interface TargetGroup {
  readonly job: string;
  readonly rows: readonly TargetRow[];
  /** Of all the job's endpoints, also when a filter shows fewer rows. */
  readonly summary: HealthSummary;
}

/** What the page shows: rows whose labels, URLs or errors contain every word of `text`, and only failing ones if asked. */
export interface TargetFilter {
  readonly text: string;
  readonly unhealthyOnly: boolean;
}

const byText = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Groups the API's targets by job, then merges the profile types of each endpoint into one row. */
export function groupTargets(targets: readonly ActiveTarget[]): TargetGroup[] {
  const jobs = new Map<string, Map<string, ActiveTarget[]>>();
  for (const target of targets) {
    const key = `${target.scrapePool}\u0000${identity(withoutName(target.labels))}`;
    const rows = jobs.get(target.scrapePool) ?? new Map<string, ActiveTarget[]>();
    jobs.set(target.scrapePool, rows);
    rows.set(key, [...(rows.get(key) ?? []), target]);
  }
  return [...jobs]
    .sort(([a], [b]) => byText(a, b))
    .map(([job, entries]) => {
      const rows = [...entries].map(([key, scrapes]) => targetRow(key, job, scrapes)).sort((a, b) => byText(a.instance, b.instance) || byText(a.key, b.key));
      return { job, rows, summary: healthSummary(rows) };
    });
}

/** A row's health from its profile types': down if any is down, else unknown if any has not been scraped, else up. */
export function worstHealth(healths: readonly Health[]): Health {
  if (healths.includes('down')) return 'down';
  if (healths.includes('unknown')) return 'unknown';
  return 'up';
}

export function healthSummary(rows: readonly TargetRow[]): HealthSummary {
  return { up: rows.filter((r) => r.health === 'up').length, total: rows.length };
}

/** The groups with only the rows that pass the filter; groups left empty are left out. */
export function filterGroups(groups: readonly TargetGroup[], filter: TargetFilter): TargetGroup[] {
  const words = filterWords(filter.text);
  if (words.length === 0 && !filter.unhealthyOnly) return [...groups];
  return groups
    .map((group) => ({
      ...group,
      rows: group.rows.filter((row) => (!filter.unhealthyOnly || row.health !== 'up') && containsAll(rowText(row), words)),
    }))
    .filter((group) => group.rows.length > 0);
}

/** The dropped targets whose job or discovered labels contain every word of `text`. */
export function filterDropped(dropped: readonly DroppedTargetInfo[], text: string): DroppedTargetInfo[] {
  const words = filterWords(text);
  if (words.length === 0) return [...dropped];
  return dropped.filter((d) => containsAll([d.scrapePool, ...labelTexts(d.discoveredLabels)].join('\n').toLowerCase(), words));
}

/** Labels in display order: `instance` and `job` first (what a reader looks for), then by name. */
export function sortedLabels(labels: Labels): [string, string][] {
  const rank = (name: string) => (name === 'instance' ? 0 : name === 'job' ? 1 : 2);
  return Object.entries(labels).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function targetRow(key: string, job: string, scrapes: ActiveTarget[]): TargetRow {
  const sorted = [...scrapes].sort((a, b) => byText(a.profileType, b.profileType) || byText(a.scrapeUrl, b.scrapeUrl));
  const labels = withoutName(sorted[0].labels);
  const endpoint = origin(sorted[0].scrapeUrl);
  const scrapeTimes = sorted.flatMap((s) => (s.lastScrape === null ? [] : [Date.parse(s.lastScrape)]));
  const durations = sorted.flatMap((s) => (s.lastScrapeDuration === null ? [] : [s.lastScrapeDuration]));
  return {
    key,
    job,
    instance: labels.instance ?? endpoint.replace(/^[a-z]+:\/\//, ''),
    endpoint,
    labels,
    scrapes: sorted,
    health: worstHealth(sorted.map((s) => s.health)),
    lastScrapeMs: scrapeTimes.length > 0 ? Math.max(...scrapeTimes) : null,
    longestScrapeSeconds: durations.length > 0 ? Math.max(...durations) : null,
  };
}

function withoutName(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([name]) => name !== '__name__'));
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function identity(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function filterWords(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

function containsAll(haystack: string, words: readonly string[]): boolean {
  return words.every((word) => haystack.includes(word));
}

/** Both `name=value` and `name="value"`, so either way of typing a label matches. */
function labelTexts(labels: Labels): string[] {
  return Object.entries(labels).flatMap(([name, value]) => [`${name}=${value}`, `${name}=${JSON.stringify(value)}`]);
}

function rowText(row: TargetRow): string {
  return [row.job, ...labelTexts(row.labels), ...row.scrapes.flatMap((s) => [s.scrapeUrl, s.lastError])].join('\n').toLowerCase();
}

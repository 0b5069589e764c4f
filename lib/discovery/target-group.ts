import { z } from 'zod';
import { labelSetSchema } from '../config/scrape-config-schema';
import type { Labels } from '../selector/matcher';

/**
 * What discovery hands to scraping, as Prometheus' targetgroup.Group: targets (each at least an
 * `__address__`) and labels shared by all of them. `source` identifies the group within its discoverer.
 */
export interface TargetGroup {
  readonly source: string;
  readonly targets: readonly Labels[];
  readonly labels: Labels;
}

/**
 * One discovery mechanism. `run` keeps calling `onGroups` with the discoverer's complete current set of
 * groups until `signal` aborts; when a refresh fails it reports the error and keeps the last good set.
 */
export interface Discoverer {
  run(signal: AbortSignal, onGroups: (groups: TargetGroup[]) => void): Promise<void>;
}

/** Receives a discoverer's failed refreshes, to be logged. */
export type DiscoveryErrorHandler = (err: Error) => void;

/** The `[{targets: [...], labels: {...}}]` document that file_sd files and http_sd endpoints serve. */
const targetGroupsSchema = z.array(
  z.strictObject({
    targets: z.array(z.string().min(1, 'a target must not be empty')),
    labels: labelSetSchema.optional(),
  }),
  { error: 'expected a list of {targets: [...], labels: {...}} groups' },
);

/**
 * Validates a file_sd/http_sd document and turns it into groups sourced `<source>:<index>`, with `meta`
 * labels added to each group. Throws an Error naming the first bad entry.
 */
export function parseTargetGroups(document: unknown, source: string, meta: Labels): TargetGroup[] {
  const parsed = targetGroupsSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new Error(`${source}: invalid target groups${where ? ` at ${where}` : ''}: ${issue.message}`);
  }
  return parsed.data.map((group, i) => ({
    source: `${source}:${i}`,
    targets: group.targets.map((address) => ({ __address__: address })),
    labels: { ...group.labels, ...meta },
  }));
}

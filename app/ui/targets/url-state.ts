/**
 * The targets page's filter in the URL (`?filter=…&unhealthy=1`), so a link shows the same rows. Pure.
 */
import type { TargetFilter } from './target-groups';

export function parseTargetFilter(params: URLSearchParams): TargetFilter {
  return { text: params.get('filter') ?? '', unhealthyOnly: params.get('unhealthy') === '1' };
}

/** The search part of the page's URL: `?filter=…&unhealthy=1`, or "" for the unfiltered page. */
export function formatTargetFilter(filter: TargetFilter): string {
  const params = new URLSearchParams();
  if (filter.text.trim()) params.set('filter', filter.text);
  if (filter.unhealthyOnly) params.set('unhealthy', '1');
  const search = params.toString();
  return search ? `?${search}` : '';
}

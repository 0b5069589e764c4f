/** The timeline's range as Unix ms, resolved from the URL's texts (`now-1h`, ms, RFC 3339) at one moment. */
import { parseTime } from '@/lib/time/parse-time';

export type ResolvedRange = { readonly fromMs: number; readonly toMs: number; readonly error: null } | { readonly error: string };

export function resolveRange(from: string, to: string, now: number): ResolvedRange {
  try {
    const fromMs = parseTime(from, now);
    const toMs = parseTime(to, now);
    if (fromMs >= toMs) return { error: `the range starts (${from}) at or after it ends (${to})` };
    return { fromMs, toMs, error: null };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

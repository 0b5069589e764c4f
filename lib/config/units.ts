import { z } from 'zod';
import { parseDuration } from '../time/duration';

/** A Prometheus duration (`15s`, `1m30s`) in the YAML, parsed to milliseconds. */
export const durationSchema = z
  .string({ error: 'expected a duration such as 15s or 1m30s' })
  .transform((text, ctx) => {
    try {
      return parseDuration(text);
    } catch (err) {
      ctx.issues.push({ code: 'custom', message: (err as Error).message, input: text });
      return z.NEVER;
    }
  });

/** A refresh or scrape duration, which must be above zero. */
export const positiveDurationSchema = durationSchema.refine((ms) => ms > 0, 'must be longer than 0s');

// Prometheus parses sizes with alecthomas/units Base2Bytes, where KB and KiB both mean 1024 bytes.
const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1024, KIB: 1024, MB: 1024 ** 2, MIB: 1024 ** 2, GB: 1024 ** 3, GIB: 1024 ** 3 };

/** A byte size such as `64MiB` or `512KB` (1024-based, as Prometheus' body_size_limit), or a plain byte count. */
export const byteSizeSchema = z
  .union([z.number().int(), z.string()], { error: 'expected a size such as 64MiB' })
  .transform((value, ctx) => {
    const match = typeof value === 'number' ? null : /^(\d+)\s*([a-zA-Z]*)$/.exec(value.trim());
    const bytes = typeof value === 'number' ? value : match ? Number(match[1]) * (SIZE_UNITS[(match[2] || 'B').toUpperCase()] ?? NaN) : NaN;
    if (!Number.isSafeInteger(bytes) || bytes <= 0) {
      ctx.issues.push({ code: 'custom', message: `not a valid size: ${JSON.stringify(value)} (use a positive size such as 64MiB, 512KiB or 1GiB)`, input: value });
      return z.NEVER;
    }
    return bytes;
  });

/** Formats a byte count the way a user would write it in the config: 67108864 → `64MiB`. */
export function formatByteSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

/** Prometheus duration syntax: one or more `<int><unit>` parts, largest unit first, e.g. `1h30m`, `15s`, `500ms`. */
const UNIT_MS: Record<string, number> = {
  y: 365 * 24 * 3600_000,
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
const UNIT_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
const PART = /(\d+)(ms|y|w|d|h|m|s)/y;

/** Parses a Prometheus duration into milliseconds; throws an Error naming the bad text. */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  let total = 0;
  let lastUnit = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match || match.index !== start) throw invalid(text);
    const unit = UNIT_ORDER.indexOf(match[2]);
    if (unit <= lastUnit) throw invalid(text);
    lastUnit = unit;
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  if (lastUnit < 0) throw invalid(text);
  if (!Number.isSafeInteger(total)) throw new Error(`duration ${JSON.stringify(text)} is too long`);
  return total;
}

/** Formats milliseconds in Prometheus syntax, largest units first: 90000 → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of UNIT_ORDER) {
    const size = UNIT_MS[unit];
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

function invalid(text: string): Error {
  return new Error(`not a valid duration: ${JSON.stringify(text)} (use Prometheus syntax such as 15s, 1m30s, 2h, 7d)`);
}

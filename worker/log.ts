/** Fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** The worker's logger: one logfmt line per event on stderr, as Prometheus logs. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger writing `ts=… level=… msg="…" key=value` lines to `write` (stderr by default). */
export function createLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log = (level: string) => (message: string, fields: LogFields = {}) => {
    const pairs = Object.entries({ ts: new Date().toISOString(), level, msg: message, ...fields })
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${logfmtValue(value)}`);
    write(`${pairs.join(' ')}\n`);
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

/**
 * Calls `fn` at most once per `intervalMs`, counting the calls it skipped, so a database outage logs
 * one line every few seconds rather than one per batch.
 */
export function throttle<A extends unknown[]>(intervalMs: number, fn: (skipped: number, ...args: A) => void): (...args: A) => void {
  let last = -Infinity;
  let skipped = 0;
  return (...args) => {
    const now = Date.now();
    if (now - last < intervalMs) return void skipped++;
    last = now;
    fn(skipped, ...args);
    skipped = 0;
  };
}

function logfmtValue(value: unknown): string {
  const text = value instanceof Error ? value.message : typeof value === 'string' ? value : JSON.stringify(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

/**
 * Reads a point in time as the API and the UI's URLs write it: Unix milliseconds (as Conprof does),
 * RFC 3339, or relative to now. Written by hand because `Date.parse` accepts many more shapes than RFC
 * 3339, differently across engines, and silently rolls over dates such as February 30.
 */
import { parseDuration } from './duration';

const UNIX_MS = /^\d+$/;
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const RELATIVE = /^now(?:-(.+))?$/;
// The range of a JavaScript Date, about ±273,790 years around 1970.
const MAX_MS = 8.64e15;

/** The accepted forms, for messages wherever a time is read. */
export const TIME_FORMS = 'Unix milliseconds (1764036840000), RFC 3339 (2026-11-25T02:14:00Z) or now, now-1h, now-15m30s';

/**
 * Unix milliseconds for `text`, with `now` (Unix ms) as the base of relative forms. RFC 3339 fractions
 * beyond milliseconds are truncated. Throws an Error naming the text and the accepted forms.
 */
export function parseTime(text: string, now: number): number {
  if (UNIX_MS.test(text)) {
    const ms = Number(text);
    if (ms > MAX_MS) throw new Error(`time ${JSON.stringify(text)} is out of range: use ${TIME_FORMS}`);
    return ms;
  }
  const relative = RELATIVE.exec(text);
  if (relative) return relative[1] === undefined ? now : now - relativeDuration(text, relative[1]);
  const rfc = RFC_3339.exec(text);
  if (rfc) return rfc3339(text, rfc);
  throw new Error(`not a time: ${JSON.stringify(text)}; use ${TIME_FORMS}`);
}

function relativeDuration(text: string, duration: string): number {
  try {
    return parseDuration(duration);
  } catch (err) {
    throw new Error(`not a time: ${JSON.stringify(text)}; after "now-" ${(err as Error).message}`);
  }
}

function rfc3339(text: string, parts: RegExpExecArray): number {
  const [, year, month, day, hour, minute, second, fraction = '', zulu, sign, offsetHour, offsetMinute] = parts;
  const fields = [year, month, day, hour, minute, second].map(Number);
  const [y, mo, d, h, mi, s] = fields;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.slice(1, 4).padEnd(3, '0')));
  const date = new Date(local);
  // Date.UTC rolls 2026-02-30 over to March 2; comparing the fields back catches every out-of-range one.
  const valid =
    date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d &&
    date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s &&
    (zulu !== undefined || (Number(offsetHour) < 24 && Number(offsetMinute) < 60));
  if (!valid) throw new Error(`not a time: ${JSON.stringify(text)} has a field out of range (month, day, hour, minute, second or offset)`);
  if (zulu !== undefined) return local;
  const offset = (Number(offsetHour) * 60 + Number(offsetMinute)) * 60_000;
  return sign === '+' ? local - offset : local + offset;
}

/**
 * x axis labels in the viewer's time zone, 24-hour as on-call dashboards print them: `14:05`, a
 * date (`Nov 25`) at midnight, seconds or milliseconds only where a tick falls between minutes.
 */
import { timeFormat } from 'd3-time-format';

const millisecond = timeFormat('%H:%M:%S.%L');
const second = timeFormat('%H:%M:%S');
const minute = timeFormat('%H:%M');
const day = timeFormat('%b %d');

export function timeTick(date: Date): string {
  if (date.getMilliseconds() !== 0) return millisecond(date);
  if (date.getSeconds() !== 0) return second(date);
  if (date.getHours() !== 0 || date.getMinutes() !== 0) return minute(date);
  return day(date);
}

import type { IngestEvent } from '../lib/ingest-queue';
import { throttle, type Logger } from './log';

/**
 * Turns the ingest queue's events into log lines, throttled so an outage writes a line every few
 * seconds rather than one per batch, and hands every event to `observe` (the metrics) unthrottled.
 */
export function ingestLogger(logger: Logger, observe: (event: IngestEvent) => void): (event: IngestEvent) => void {
  const retrying = throttle(10_000, (skipped, event: Extract<IngestEvent, { type: 'retrying' }>) =>
    logger.warn('the database is unavailable; keeping profiles queued and retrying', { error: event.error, queued_batch: event.profiles, retry_in_ms: event.retryInMs, retries_not_logged: skipped || undefined }),
  );
  let droppedSinceLog = 0;
  const full = throttle(10_000, () => {
    logger.warn('the ingest queue is full; dropped the oldest profiles (raise PROFD_WORKER_QUEUE_SIZE to hold more)', { dropped: droppedSinceLog });
    droppedSinceLog = 0;
  });
  let outage = false;
  return (event) => {
    observe(event);
    if (event.type === 'retrying') {
      outage = true;
      retrying(event);
    } else if (event.type === 'written' && outage) {
      outage = false;
      logger.info('the database is back; writing queued profiles');
    } else if (event.type === 'dropped' && event.reason === 'queue_full') {
      droppedSinceLog += event.profiles;
      full();
    } else if (event.type === 'dropped') {
      logger.error(event.reason === 'shutdown' ? 'profiles still queued at shutdown were lost' : 'the database refused profiles; they are dropped', { profiles: event.profiles, error: event.error });
    }
  };
}

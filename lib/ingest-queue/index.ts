/** lib/ingest-queue: the worker's bounded, batching, retrying sink in front of lib/db. */
export { IngestQueue, type IngestQueueOptions, type IngestEvent, type DropReason } from './ingest-queue';

/** lib/db: the one storage layer. The worker writes through it, the API reads through it. */
export { connect, type Db, type ConnectOptions } from './client';
export { migrate } from './migrate';
export { StorageInputError, RetryableDbError, isRetryable, isStorageInputError, type StorageInputCode } from './errors';
export { writeProfiles, type WriteOptions, type WriteResult } from './write';
export type { IngestItem } from './prepare';
export { selectSeries, labelNames, labelValues, type SeriesInfo } from './read-series';
export {
  sampleIndex,
  sampleTotals,
  sampleTypesAt,
  readProfiles,
  type SampleEntry,
  type SampleTotal,
  type SeriesSamples,
  type SeriesTotals,
  type StoredProfile,
} from './read-samples';
export type { SeriesQuery } from './series-filter';
export { maintain, startMaintenance, retentionCutoffDay, type MaintenanceOptions, type MaintenanceReport, type ScheduleOptions } from './maintenance';
export { ensurePartitions, listPartitions } from './partitions';
export { PROFILE_TYPE_LABEL } from './labels';
export { writeTargetHealth, readTargets, type TargetHealthSnapshot, type TargetHealthInput, type ActiveTarget, type DroppedTargetInfo, type TargetState } from './targets';
export { writeWorkerConfig, readWorkerConfig, type StoredWorkerConfig } from './targets';

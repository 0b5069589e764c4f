/** lib/query: what the HTTP API asks of storage and lib/pprof, with the limits and warnings of each request. */
export { appDb, closeAppDb } from './app-db';
export { queryLimits, type QueryLimits } from './limits';
export { queryRange, type RangeQuery, type RangeSeries } from './range';
export { mergeBudget, type MergeBudget } from './merge';
export { loadProfile, type DiffSides, type LoadedProfile, type ProfileQuery, type Selection } from './load';
export { renderReport, REPORTS, type FlameReport, type Rendered, type ReportKind, type ReportOptions } from './report';
export { findLabelNames, findLabelValues, findSeries, type MetadataQuery } from './metadata';
export { foldedItem, ingestProfile, type IngestResult } from './ingest';
export { isMultipart, pushBody, pyroscopeItem, type PushBody, type PyroscopePush } from './pyroscope';
export { decodeLabelset, exactLabels, formatSeries } from './labelset';
export { findExactProfile } from './exact';
export { databaseAnswers } from './health';

import { bigint, doublePrecision, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './bytea';
import { series } from './series';

/**
 * One row per stored profile, for typed queries only: the table itself is created by the hand-written
 * migration drizzle/0001_samples_partitioned.sql, because drizzle cannot declare `PARTITION BY RANGE`.
 * It is partitioned by UTC day on `ts` (partitions `samples_YYYYMMDD`, see lib/db/partitions.ts) so
 * retention drops whole days. `blob` is the gzipped pprof with STORAGE EXTERNAL (it is already
 * compressed). The sample types, default type, totals per type, duration and period are copied out of
 * the profile so timelines and totals never read blobs.
 */
export const samples = pgTable(
  'samples',
  {
    seriesId: bigint('series_id', { mode: 'number' })
      .notNull()
      .references(() => series.id, { onDelete: 'cascade' }),
    ts: timestamp('ts', { withTimezone: true, mode: 'string' }).notNull(),
    blob: bytea('blob').notNull(),
    blobSize: integer('blob_size').notNull(),
    sampleTypes: text('sample_types').array().notNull(),
    defaultSampleType: text('default_sample_type').notNull(),
    totals: doublePrecision('totals').array().notNull(),
    durationNanos: bigint('duration_nanos', { mode: 'number' }).notNull(),
    periodType: text('period_type').notNull(),
    period: bigint('period', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.seriesId, t.ts] })],
);

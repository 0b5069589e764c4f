import { defineConfig } from 'drizzle-kit';

// Only the plain tables: `samples` is partitioned, which drizzle-kit cannot express, so it lives in a
// custom migration (drizzle/0001_samples_partitioned.sql) and is left out of the schema drizzle-kit diffs.
// Every other schema file must be listed, or the next `drizzle-kit generate` would drop its tables.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./lib/db/schema/series.ts', './lib/db/schema/targets.ts'],
  out: './drizzle',
});

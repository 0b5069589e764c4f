import { z } from 'zod';
import { hasLabelNameSyntax } from '../selector/labels';
import { relabelConfigSchema } from '../relabel/config';
import { byteSizeSchema, durationSchema, positiveDurationSchema } from './units';

/**
 * The strict YAML schema of a Conprof/Prometheus-style worker config: every unknown key is an error
 * naming its path. Values are parsed (durations to ms, regexes compiled); defaults and cross-field rules
 * are applied afterwards by worker-config.ts, so the raw shape stays close to what the user wrote.
 */

// Prometheus' file_sd check: a `*` only in the last path element, and a .json/.yml/.yaml extension.
const FILE_SD_PATH = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;

const labelNameSchema = z.string().refine(hasLabelNameSyntax, 'not a valid label name (use letters, digits and _, not starting with a digit)');

/** A label set in the config: valid names, string values. */
export const labelSetSchema = z.record(labelNameSchema, z.string({ error: 'label values must be strings (quote numbers)' }));

const staticConfigSchema = z.strictObject({
  targets: z.array(
    z.string().refine((t) => !t.includes('/'), 'a target is host:port, not a URL (set the scheme with `scheme` and the path in pprof_config)'),
  ),
  labels: labelSetSchema.optional(),
});

const fileSdConfigSchema = z.strictObject({
  files: z.array(z.string().regex(FILE_SD_PATH, 'a file_sd path ends in .json, .yml or .yaml and may hold a * only in the file name')).min(1),
  refresh_interval: positiveDurationSchema.optional(),
});

const httpSdConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
  refresh_interval: positiveDurationSchema.optional(),
});

const dnsSdConfigSchema = z
  .strictObject({
    names: z.array(z.string().min(1)).min(1),
    type: z.enum(['A', 'AAAA', 'SRV'], { error: 'type must be A, AAAA or SRV' }).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    refresh_interval: positiveDurationSchema.optional(),
  })
  .refine((d) => (d.type ?? 'SRV') === 'SRV' || d.port !== undefined, {
    message: 'A and AAAA records carry no port: set port (only SRV records bring their own)',
    path: ['port'],
  });

const sampleTypeSchema = z.strictObject({ type: z.string().min(1), unit: z.string().min(1) });

/** One entry of `pprof_config`: a profile type, built in (heap, profile, …) or custom (fgprof, …). */
const profileTypeSchema = z.strictObject({
  enabled: z.boolean().optional(),
  path: z.string().startsWith('/', 'a profile path starts with /').optional(),
  seconds: z.number().int().positive().optional(),
  delta: z.boolean().optional(),
  keep_sample_type: z.array(sampleTypeSchema).min(1).optional(),
});

/** The raw YAML of one profile type. */
export type RawProfileType = z.infer<typeof profileTypeSchema>;

const profilingConfigSchema = z.strictObject({
  pprof_config: z.record(z.string().refine(hasLabelNameSyntax, 'a profile type name is a label value usable as __name__ (letters, digits, _)'), profileTypeSchema).optional(),
  path_prefix: z.string().startsWith('/', 'path_prefix starts with /').optional(),
});

const scrapeConfigSchema = z.strictObject({
  job_name: z.string({ error: 'every scrape config needs a job_name' }).min(1, 'job_name must not be empty'),
  scrape_interval: positiveDurationSchema.optional(),
  scrape_timeout: positiveDurationSchema.optional(),
  scheme: z.enum(['http', 'https'], { error: 'scheme must be http or https' }).optional(),
  params: z.record(z.string(), z.array(z.string())).optional(),
  body_size_limit: byteSizeSchema.optional(),
  static_configs: z.array(staticConfigSchema).optional(),
  file_sd_configs: z.array(fileSdConfigSchema).optional(),
  http_sd_configs: z.array(httpSdConfigSchema).optional(),
  dns_sd_configs: z.array(dnsSdConfigSchema).optional(),
  relabel_configs: z.array(relabelConfigSchema).optional(),
  profiling_config: profilingConfigSchema.optional(),
});

/** The raw YAML of one scrape config, values parsed. */
export type RawScrapeConfig = z.infer<typeof scrapeConfigSchema>;

const globalSchema = z.strictObject({
  scrape_interval: positiveDurationSchema.optional(),
  scrape_timeout: durationSchema.optional(),
  body_size_limit: byteSizeSchema.optional(),
  external_labels: labelSetSchema.optional(),
});

/** The whole worker config file. An empty file is a config with no jobs, as in Prometheus. */
export const workerConfigSchema = z.strictObject({
  global: globalSchema.optional(),
  scrape_configs: z.array(scrapeConfigSchema).optional(),
});

/** The raw YAML of a whole config file, values parsed. */
export type RawWorkerConfig = z.infer<typeof workerConfigSchema>;

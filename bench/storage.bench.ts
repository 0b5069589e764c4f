/**
 * Storage benchmark (`npm run bench storage`): ingest of 50 KB
 * profiles into the real Postgres server (batched against one transaction per profile) and into the
 * embedded PGlite server; label and series queries over 10,000 series and 1,000,000 samples; bytes on
 * disk per stored profile against its gzipped size. Prints one table. Uses a scratch database on the
 * server named by PROFD_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and
 * a temporary directory for PGlite; both are removed afterwards.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { connect, ensurePartitions, labelNames, labelValues, migrate, sampleIndex, selectSeries, writeProfiles, type Db, type IngestItem } from '../lib/db';
import { startEmbeddedDatabase } from '../lib/embedded/server';
import { decodeProfile, encodeProfile, type Profile } from '../lib/pprof';

const SERVER_URL = process.env.PROFD_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// A real Go heap profile (67 KB gzipped), cut down to the sizes the benchmark needs.
const SOURCE = new URL('../../shared/fixtures/pprof/parca__alloc_space_delta.pb.gz', import.meta.url);
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

/** One line of the result table. */
interface Row {
  readonly what: string;
  readonly value: number;
  readonly unit: string;
  readonly goal: string;
  readonly met: boolean;
}

/** Runs every storage measurement and prints the table. */
async function runStorageBench(): Promise<void> {
  const blobs = fiftyKilobyteProfiles(16);
  const rows: Row[] = [];
  await withServerDatabase(async (db) => {
    rows.push(await ingestRate(db, blobs, 'Postgres, batches of 100', 600, 100, 500));
    rows.push(await ingestRate(db, blobs, 'Postgres, one profile per transaction', 100, 1, 0));
    rows.push(await diskRatio(db, 'Postgres'));
  });
  await withServerDatabase(async (db) => {
    rows.push(...(await queryTimes(db)));
  });
  await withEmbeddedDatabase(async (db) => {
    rows.push(await ingestRate(db, blobs, 'PGlite, batches of 50', 100, 50, 50));
    rows.push(await diskRatio(db, 'PGlite'));
  });
  printTable(rows);
}

interface Blob {
  readonly blob: Uint8Array;
  readonly profile: Profile;
}

/** Distinct gzipped profiles of about 50 KB each, with their decoded form (the worker has it too). */
function fiftyKilobyteProfiles(count: number): Blob[] {
  const source = decodeProfile(readFileSync(SOURCE));
  return Array.from({ length: count }, (_, i) => {
    // Rotating the samples makes each blob different; the sample count sets the size.
    const rotated = [...source.samples.slice(i * 7), ...source.samples.slice(0, i * 7)];
    let n = source.samples.length;
    let blob = encodeProfile(source);
    while (blob.length > 50 * 1024) {
      n = Math.floor(n * 0.97);
      blob = encodeProfile({ ...source, samples: rotated.slice(0, n) });
    }
    return { blob, profile: decodeProfile(blob) };
  });
}

/**
 * Profiles per second through writeProfiles in batches of `batchSize`: the median of five rounds,
 * after two untimed batches, so a cold start (new series, JIT) and a burst of load from other
 * processes on this shared machine count less than the steady state a running worker sees.
 */
async function ingestRate(db: Db, blobs: readonly Blob[], what: string, perRound: number, batchSize: number, goal: number): Promise<Row> {
  let n = 0;
  // 200 targets scraped every 10 s: the profiles of one scrape round share a timestamp.
  const next = (count: number): IngestItem[] =>
    Array.from({ length: count }, () => {
      const i = n++;
      const labels = { __name__: 'heap', job: `job-${i % 10}`, instance: `10.0.0.${i % 200}:6060`, run: what };
      return { labels, timestampMs: NOW - DAY + Math.floor(i / 200) * 10_000, ...blobs[i % blobs.length] };
    });
  const write = async (items: IngestItem[]) => {
    for (let i = 0; i < items.length; i += batchSize) await writeProfiles(db, items.slice(i, i + batchSize));
  };
  await write(next(2 * batchSize));
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    const items = next(perRound);
    const started = performance.now();
    await write(items);
    rates.push(perRound / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  const range = `${rates[0].toFixed(0)}–${rates[4].toFixed(0)}`;
  return { what: `ingest 50 KB profiles: ${what} (rounds ${range})`, value: rates[2], unit: 'profiles/s', goal: goal ? `≥ ${goal}` : 'baseline', met: rates[2] >= goal };
}

async function diskRatio(db: Db, where: string): Promise<Row> {
  const [row] = await db.orm.execute<{ bytes: number; gzipped: number; n: number }>(sql`
    select (select sum(pg_total_relation_size(relid))::float8 from pg_partition_tree('samples')) as bytes,
           sum(blob_size)::float8 as gzipped, count(*)::int as n from samples`);
  const ratio = row.bytes / row.gzipped;
  return { what: `${where}: bytes on disk per profile / gzipped size (${row.n} profiles)`, value: ratio, unit: '×', goal: '≤ 1.1', met: ratio <= 1.1 };
}

/** Loads 10,000 series and 1,000,000 tiny samples over 14 days, then times the label and series queries. */
async function queryTimes(db: Db): Promise<Row[]> {
  const tiny = encodeProfile(oneSampleProfile(decodeProfile(readFileSync(SOURCE))));
  const types = ['profile', 'heap', 'goroutine', 'block', 'mutex'];
  const series: IngestItem[] = Array.from({ length: 10_000 }, (_, i) => ({
    labels: { __name__: types[i % 5], job: `job-${Math.floor(i / 5) % 20}`, instance: `10.0.${Math.floor(i / 1250)}.${Math.floor(i / 5) % 250}:6060`, zone: `z${i % 3}` },
    timestampMs: NOW,
    blob: tiny,
  }));
  for (let i = 0; i < series.length; i += 1000) await writeProfiles(db, series.slice(i, i + 1000));
  await ensurePartitions(db, Array.from({ length: 15 }, (_, d) => NOW - d * DAY));
  // The other 99 samples of each series, spread over the past 14 days, in one statement.
  await db.orm.execute(sql`
    insert into samples (series_id, ts, blob, blob_size, sample_types, default_sample_type, totals, duration_nanos, period_type, period)
    select s.id, ${new Date(NOW).toISOString()}::timestamptz - g * interval '3 hours 23 minutes', s2.blob, s2.blob_size,
           s2.sample_types, s2.default_sample_type, s2.totals, s2.duration_nanos, s2.period_type, s2.period
    from series s join samples s2 on s2.series_id = s.id cross join generate_series(1, 99) g`);
  await db.orm.execute(sql`analyze`);
  const day = { fromMs: NOW - DAY, toMs: NOW };
  const fortnight = { fromMs: NOW - 14 * DAY, toMs: NOW };
  const heap = { name: '__name__', type: '=' as const, value: 'heap' };
  return [
    await timed('labelValues(instance, {__name__="heap"}), 1 day', () => labelValues(db, 'instance', { matchers: [heap], ...day })),
    await timed('labelValues(job), 14 days', () => labelValues(db, 'job', { matchers: [], ...fortnight })),
    await timed('labelNames(), 14 days', () => labelNames(db, { matchers: [], ...fortnight })),
    await timed('selectSeries({__name__="heap", job="job-7"})', () => selectSeries(db, { matchers: [heap, { name: 'job', type: '=', value: 'job-7' }], ...day }, 1000)),
    await timed('selectSeries({job=~"job-1.*", zone!="z0"})', () => selectSeries(db, { matchers: [{ name: 'job', type: '=~', value: 'job-1.*' }, { name: 'zone', type: '!=', value: 'z0' }], ...fortnight }, 10_000)),
    await timed('sampleIndex(one series), 14 days: 100 samples', () => sampleIndex(db, { matchers: [heap, { name: 'instance', type: '=', value: '10.0.0.1:6060' }], ...fortnight }, 10_000)),
  ];
}

/** The profile's first sample with only the locations, functions and mappings it uses: a few hundred bytes. */
function oneSampleProfile(source: Profile): Profile {
  const [sample] = source.samples;
  const functions = new Set(sample.locations.flatMap((l) => l.lines.map((line) => line.fn)));
  const mappings = new Set(sample.locations.flatMap((l) => (l.mapping ? [l.mapping] : [])));
  return { ...source, samples: [sample], locations: [...new Set(sample.locations)], functions: [...functions], mappings: [...mappings] };
}

/** The median of 21 runs after one warm-up, in milliseconds. */
async function timed(what: string, run: () => Promise<unknown>): Promise<Row> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  const median = times.sort((a, b) => a - b)[10];
  return { what: `10k series, 1M samples: ${what}`, value: median, unit: 'ms (median)', goal: '≤ 50', met: median <= 50 };
}

async function withServerDatabase(body: (db: Db) => Promise<void>): Promise<void> {
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  const name = `profd_bench_${process.pid}`;
  await admin`drop database if exists ${admin(name)}`;
  await admin`create database ${admin(name)}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const db = connect(url.toString(), { max: 4 });
  try {
    await body(db);
  } finally {
    await db.close();
    await admin`drop database if exists ${admin(name)} with (force)`;
    await admin.end();
  }
}

async function withEmbeddedDatabase(body: (db: Db) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'profd-bench-'));
  const server = await startEmbeddedDatabase({ dataDir });
  const db = connect(server.url, { max: 4 });
  try {
    await migrate(server.url);
    await body(db);
  } finally {
    await db.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function printTable(rows: readonly Row[]): void {
  const lines = rows.map((r) => [r.what, `${r.value.toFixed(r.value < 10 ? 2 : 0)} ${r.unit}`, r.goal, r.met ? 'ok' : 'MISSED']);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...lines.map((l) => l[c].length), 4));
  console.log('\nstorage benchmark');
  for (const l of lines) console.log(l.map((cell, c) => cell.padEnd(widths[c])).join('  '));
}

await runStorageBench();

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared pprof fixtures and the facts `go tool pprof` reported for each (see the README there).
 * Found beside the repository as `../shared/fixtures/pprof`, which is where CI puts them too.
 */
export const fixturesDir = fileURLToPath(new URL('../../../shared/fixtures/pprof', import.meta.url));

const NOT_A_PROFILE = /\.expected\.txt$|\.string$|^README\.md$|^LICENSES\.txt$/;

/** The name of every profile file among the fixtures (facts, expected strings and licences left out), sorted. */
export function listFixtures(): string[] {
  return readdirSync(fixturesDir).filter((name) => !NOT_A_PROFILE.test(name)).sort();
}

/** The bytes of one fixture, by name. */
export function readFixture(name: string): Uint8Array {
  return readFileSync(fixturePath(name));
}

/** The absolute path of one fixture, by name. */
export function fixturePath(name: string): string {
  return join(fixturesDir, basename(name));
}

/** One row of a `-top` table. Values are in the unit the command asked for (`-unit=…`), suffix removed. */
export interface ExpectedTopRow {
  flat: number;
  cum: number;
  name: string;
}

/** One `go tool pprof -top -nodecount=5 -sample_index=N` block. */
export interface ExpectedTop {
  sampleIndex: number;
  /** The `-unit` asked for ("count", "bytes", "nanoseconds", …), or "" when none was given. */
  unit: string;
  /** The "of X total": the sum of |value| (only pprof::base samples when any carry that label). */
  total: number;
  /** The "accounting for X": the sum of the flat column of the rows shown. */
  shown: number;
  /** Nodes dropped by pprof's node fraction (cum at or below 0.5% of the total); 0 when none were. */
  droppedNodes: number;
  /** The cutoff pprof printed with them ("Dropped 22 nodes (cum <= 417)"); null when none were dropped. */
  nodeCutoff: number | null;
  /** The "out of N" node count after dropping; equal to rows.length when pprof printed no such line. */
  nodeCount: number;
  rows: ExpectedTopRow[];
}

/** A (type, unit) pair, and whether `-raw` marked it `[default_sample_type]`. */
export interface ExpectedSampleType {
  type: string;
  unit: string;
  isDefault: boolean;
}

/** Counts taken straight from the protobuf bytes (not pprof output): present only for protobuf files. */
export interface WireFacts {
  gzip: boolean;
  samples: number;
  allZeroSamples: number;
  samplesWithoutLocations: number;
  labels: number;
  locations: number;
  functions: number;
  mappings: number;
  strings: number;
  sampleTypes: number;
  comments: number;
  /** Signed sum of Sample.value per sample type, before any merge. */
  sums: number[];
}

/** The facts `go tool pprof -raw` printed about the (merged) profile. */
export interface RawFacts {
  periodType: { type: string; unit: string } | null;
  period: number;
  /** As pprof printed it, e.g. "2017-09-29 20:57:59.25723537 +0000 UTC"; null when the profile has none. */
  time: string | null;
  /** As pprof printed it (seconds, e.g. "2.00"); null when the profile has none. */
  duration: string | null;
  sampleTypes: ExpectedSampleType[];
  /** Samples left after pprof's merge: all-zero ones dropped, identical stacks+labels summed. */
  numSamplesAfterMerge: number;
  numSampleLabelLines: number;
  numLocations: number;
  numMappings: number;
  /** Signed sum per sample type of the merged samples pprof printed. */
  signedSums: number[];
}

/** Everything a fixture's `.expected.txt` says. */
export interface ExpectedFacts {
  file: string;
  /** Whether go tool pprof reads the file (legacy formats included). */
  accepted: boolean;
  /** pprof's error (its stderr line) when it refused the file, else null. */
  error: string | null;
  /** The wire-format section's `container:` line, e.g. "empty file (0 bytes)". */
  container: string;
  /** Null exactly when pprof refused the file. */
  raw: RawFacts | null;
  tops: ExpectedTop[];
  /** Null when the file is not a protobuf Profile (legacy formats, empty, malformed). */
  wire: WireFacts | null;
}

const WIRE_MARKER = /^# ---- wire-format facts.*$/m;

/** Parses `<name>.expected.txt`, failing loudly on a line it does not understand rather than guessing. */
export function readExpected(name: string): ExpectedFacts {
  const text = readFileSync(`${fixturePath(name)}.expected.txt`, 'utf8');
  const [pprofPart, wirePart = ''] = text.split(WIRE_MARKER);
  const [rawPart, ...topParts] = pprofPart.split(/^\$ /m);
  const accepted = !/^exit status: [1-9]/m.test(rawPart);
  return {
    file: basename(name),
    accepted,
    error: accepted ? null : field(rawPart, 'stderr'),
    container: field(wirePart, 'container') ?? '',
    raw: accepted ? parseRawFacts(rawPart) : null,
    tops: topParts.map(parseTop),
    wire: parseWireFacts(wirePart),
  };
}

/** The text after `key: ` on its own line, or null. */
function field(text: string, key: string): string | null {
  const match = new RegExp(`^${key}: ?(.*)$`, 'm').exec(text);
  return match ? match[1] : null;
}

function count(text: string, key: string): number {
  const value = field(text, key);
  if (value === null || !/^\d+$/.test(value)) throw new Error(`expected facts: no numeric "${key}:" line`);
  return Number(value);
}

function parseRawFacts(text: string): RawFacts {
  const periodType = field(text, 'period_type')?.trim() ?? '';
  const [type = '', unit = ''] = periodType.split(' ');
  const types = indentedLines(text, 'sample_types');
  const sums = indentedLines(text, 'signed_sum_per_sample_type');
  return {
    periodType: periodType === '' ? null : { type, unit },
    period: integer(field(text, 'period') ?? '0'),
    time: field(text, 'time'),
    duration: field(text, 'duration'),
    sampleTypes: types.map(parseSampleType),
    numSamplesAfterMerge: count(text, String.raw`num_samples \(after merge\)`),
    numSampleLabelLines: count(text, String.raw`num_sample_label_lines \([^)]*\)`),
    numLocations: count(text, 'num_locations'),
    numMappings: count(text, 'num_mappings'),
    signedSums: sums.map((line) => integer(line.slice(line.lastIndexOf(' = ') + 3))),
  };
}

/** The `  N: …` lines under a `heading…:` line, with the `N: ` removed. */
function indentedLines(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(heading));
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^ {2}\d+: (.*)$/.exec(line);
    if (!match) break;
    out.push(match[1]);
  }
  return out;
}

function parseSampleType(text: string): ExpectedSampleType {
  const isDefault = text.endsWith('[default_sample_type]');
  const pair = text.replace('[default_sample_type]', '').trim();
  const slash = pair.indexOf('/');
  return { type: pair.slice(0, slash), unit: pair.slice(slash + 1), isDefault };
}

const TOP_ROW = /^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s{2}(.+)$/;

function parseTop(block: string): ExpectedTop {
  const command = block.slice(0, block.indexOf('\n'));
  const accounting = /^Showing nodes accounting for (\S+), \S+ of (\S+) total$/m.exec(block);
  if (!accounting) throw new Error(`expected facts: no "Showing nodes accounting for" line after ${command}`);
  const header = block.indexOf('      flat  flat%');
  const rows = block
    .slice(block.indexOf('\n', header) + 1)
    .split('\n')
    .map((line) => TOP_ROW.exec(line))
    .filter((match) => match !== null)
    .map(([, flat, cum, name]) => ({ flat: integer(flat), cum: integer(cum), name }));
  const cutoff = /^Dropped \d+ nodes? \(cum <= (\S+)\)$/m.exec(block)?.[1];
  return {
    sampleIndex: integer(/-sample_index=(\d+)/.exec(command)?.[1] ?? ''),
    unit: /-unit=(\w+)/.exec(command)?.[1] ?? '',
    total: integer(accounting[2]),
    shown: integer(accounting[1]),
    droppedNodes: Number(/^Dropped (\d+) nodes? /m.exec(block)?.[1] ?? 0),
    nodeCutoff: cutoff === undefined ? null : integer(cutoff),
    nodeCount: Number(/^Showing top \d+ nodes out of (\d+)$/m.exec(block)?.[1] ?? rows.length),
    rows,
  };
}

/** An integer as pprof printed it, with its unit suffix (`ns`, `B`, `us`) removed. */
function integer(text: string): number {
  const match = /^(-?\d+)[a-zA-Z]*$/.exec(text.trim());
  const value = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(value)) throw new Error(`expected facts: ${JSON.stringify(text)} is not an integer value`);
  return value;
}

function parseWireFacts(text: string): WireFacts | null {
  const samples = /^raw Sample messages: (\d+) \(all-zero-value: (\d+); without location_id: (\d+); Label entries total: (\d+)\)$/m.exec(text);
  if (!samples) return null;
  const messages = field(text, 'raw Location messages') ?? '';
  const counts = messages.split('; ').map((part) => integer(part.slice(part.lastIndexOf(' ') + 1)));
  if (counts.length !== 6) throw new Error(`expected facts: cannot read "raw Location messages: ${messages}"`);
  const sums = field(text, String.raw`raw signed sum of Sample\.value per index`) ?? '';
  const [locations, functions, mappings, strings, sampleTypes, comments] = counts;
  return {
    gzip: (field(text, 'container') ?? '').startsWith('gzip'),
    samples: Number(samples[1]),
    allZeroSamples: Number(samples[2]),
    samplesWithoutLocations: Number(samples[3]),
    labels: Number(samples[4]),
    locations, functions, mappings, strings, sampleTypes, comments,
    sums: sums === '' ? [] : sums.split(', ').map((part) => integer(part.replace(/^\[\d+\] /, ''))),
  };
}

import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  decodeProfile, DEFAULT_MAX_PROFILE_BYTES, defaultSampleIndex, diffProfiles, encodeProfileAsync, formatPercent, formatSampleType, formatValue,
  isProfileError, ProfileMerger, sampleIndex, tableUnit, toFolded, top, totals, type Profile, type TopResult,
} from '../lib/pprof';
import { decodeAhead } from '../lib/threads/decode-thread';

/**
 * `profd`: look at pprof files from a shell, with the same numbers as `go tool pprof`.
 * Exit status 0 on success, 1 when an input or output file is the problem, 2 when the call is wrong.
 */

/** A mistake in how profd was called; printed with a pointer to --help. */
class UsageError extends Error {}
/** A file that cannot be read, decoded, merged or written; the message names the file. */
class FileError extends Error {}

type Values = { [name: string]: string | boolean | undefined };

interface Command {
  usage: string;
  options: { [name: string]: { type: 'string' | 'boolean'; short?: string } };
  files: [min: number, max: number];
  run(files: string[], values: Values): string | Promise<string>;
}

const SAMPLE_INDEX = { 'sample-index': { type: 'string' } } as const;
const OUTPUT = { output: { type: 'string', short: 'o' } } as const;

const COMMANDS: { [name: string]: Command } = {
  info: {
    usage: 'profd info FILE\n  Sample types, period, time, duration, counts and totals of one profile.',
    options: {},
    files: [1, 1],
    run: ([file]) => info(file, readProfile(file)),
  },
  top: {
    usage: 'profd top [-n N] [--sample-index T] FILE...\n  The functions with the most flat value, as `go tool pprof -top`.\n'
      + '  Several files are merged first. T is a sample type name (alloc_space), type/unit, or index.',
    options: { ...SAMPLE_INDEX, n: { type: 'string', short: 'n' } },
    files: [1, Infinity],
    run: async (files, values) => {
      const limit = values.n === undefined ? undefined : rowCount(values.n as string);
      return renderTop(top(await readInputs(files), { sampleType: values['sample-index'] as string | undefined, limit }));
    },
  },
  merge: {
    usage: 'profd merge -o OUT FILE...\n  Merges profiles of the same sample types into one gzipped pprof file.',
    options: OUTPUT,
    files: [1, Infinity],
    run: async (files, values) => write(outputPath(values), await mergeFiles(files)),
  },
  diff: {
    usage: 'profd diff -o OUT BASE OTHER\n  Writes OTHER minus BASE (pprof -diff_base): positive values grew, negative shrank.',
    options: OUTPUT,
    files: [2, 2],
    run: ([base, other], values) => write(outputPath(values), diff(base, other)),
  },
  folded: {
    usage: 'profd folded [--sample-index T] FILE...\n  Folded stacks (`root;caller;leaf value`, one per line) for flame graph tools.',
    options: SAMPLE_INDEX,
    files: [1, Infinity],
    run: async (files, values) => {
      const profile = await readInputs(files);
      return toFolded(profile, sampleIndex(profile, values['sample-index'] as string | undefined));
    },
  },
};

const USAGE = `usage: profd COMMAND [options] FILE...

Commands:
${Object.values(COMMANDS).map((c) => `  ${c.usage.split('\n')[0]}`).join('\n')}

Run \`profd COMMAND --help\` for one command. FILE is a pprof profile, gzipped or not.`;

const rowCountSchema = z.coerce.number().int().positive();

function rowCount(text: string): number {
  const parsed = rowCountSchema.safeParse(text);
  if (!parsed.success) throw new UsageError(`-n must be a whole number above 0, not ${JSON.stringify(text)}`);
  return parsed.data;
}

function outputPath(values: Values): string {
  if (typeof values.output !== 'string' || values.output === '') throw new UsageError('-o OUT is required: the file to write');
  return values.output;
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a profile' : (err as Error).message;
    throw new FileError(`${file}: ${reason}`);
  }
}

function readProfile(file: string): Profile {
  const bytes = readBytes(file);
  try {
    return decodeProfile(bytes);
  } catch (err) {
    throw namingFile(file, err);
  }
}

/** A refusal of the file's contents (a ProfileError) as a FileError naming it; any other error as it is. */
function namingFile(file: string, err: unknown): unknown {
  return isProfileError(err) ? new FileError(`${file}: ${err.message}`) : err;
}

/** Runs a merge, turning its refusal (incompatible sample types) into a FileError naming the files. */
function refuseIncompatible<T>(files: string[], merge: () => T): T {
  try {
    return merge();
  } catch (err) {
    if (isProfileError(err, 'incompatible')) throw new FileError(`${files.join(', ')}: ${err.message}`);
    throw err;
  }
}

/**
 * Merges the files in order, each decoded on the decoding thread while the one before is added here,
 * so that only a few decoded inputs are held at once.
 */
async function mergeFiles(files: string[]): Promise<Profile> {
  const merger = new ProfileMerger();
  for await (const { item: file, profile } of decodeAhead(files, readBytes, DEFAULT_MAX_PROFILE_BYTES)) {
    const decoded = await profile.catch((err: unknown) => {
      throw namingFile(file, err);
    });
    refuseIncompatible([files[0], file], () => merger.add(decoded));
  }
  return merger.result();
}

/** What top and folded look at: one file as is (so totals agree with pprof's), several merged. */
async function readInputs(files: string[]): Promise<Profile> {
  return files.length === 1 ? readProfile(files[0]) : mergeFiles(files);
}

function diff(base: string, other: string): Profile {
  const [before, after] = [readProfile(base), readProfile(other)];
  return refuseIncompatible([base, other], () => diffProfiles(before, after));
}

async function write(file: string, profile: Profile): Promise<string> {
  const bytes = await encodeProfileAsync(profile);
  try {
    writeFileSync(file, bytes);
  } catch (err) {
    throw new FileError(`${file}: cannot write: ${(err as Error).message}`);
  }
  return '';
}

function info(file: string, p: Profile): string {
  const defaultIndex = defaultSampleIndex(p);
  const sums = totals(p);
  const typeWidth = Math.max(0, ...p.sampleTypes.map((t) => formatSampleType(t).length));
  const lines = [`File: ${file}`];
  if (p.mappings[0]?.file) lines.push(`Main binary: ${p.mappings[0].file}`);
  if (p.timeNanos !== 0n) lines.push(`Time: ${new Date(Number(p.timeNanos / 1_000_000n)).toISOString()}`);
  if (p.durationNanos !== 0) lines.push(`Duration: ${formatValue(p.durationNanos, 'nanoseconds')}`);
  if (p.periodType) lines.push(`Period: ${formatValue(p.period, p.periodType.unit)} of ${formatSampleType(p.periodType)}`);
  lines.push(`Samples: ${p.samples.length}, locations: ${p.locations.length}, functions: ${p.functions.length}, mappings: ${p.mappings.length}`);
  lines.push(p.sampleTypes.length === 0 ? 'Sample types: none' : 'Sample types and totals:');
  p.sampleTypes.forEach((t, i) => {
    const pretty = formatValue(sums[i], t.unit);
    const total = pretty === String(sums[i]) ? pretty : `${pretty} (${sums[i]})`;
    lines.push(`  ${formatSampleType(t).padEnd(typeWidth)}  ${total}${i === defaultIndex ? '  [default]' : ''}`);
  });
  return `${lines.join('\n')}\n`;
}

/** A pprof-style top table: one unit for the whole table, chosen as pprof chooses it. */
function renderTop(result: TopResult): string {
  const { sampleType, total, items } = result;
  const unit = tableUnit(items.map((i) => i.flat || i.cum), total, sampleType.unit);
  const value = (v: number) => formatValue(v, sampleType.unit, unit);
  const shown = items.reduce((sum, i) => sum + i.flat, 0);
  const lines = [`Type: ${sampleType.type}`, `Showing nodes accounting for ${value(shown)}, ${formatPercent(shown, total).trim()} of ${value(total)} total`];
  if (result.droppedNodes > 0) lines.push(`Dropped ${result.droppedNodes} node${result.droppedNodes > 1 ? 's' : ''} (cum <= ${value(result.nodeCutoff)})`);
  if (items.length < result.nodeCount) lines.push(`Showing top ${items.length} nodes out of ${result.nodeCount}`);
  lines.push(`${'flat'.padStart(10)}  flat%   sum% ${'cum'.padStart(10)}   cum%`);
  let sum = 0;
  for (const item of items) {
    sum += item.flat;
    lines.push(`${value(item.flat).padStart(10)} ${formatPercent(item.flat, total)} ${formatPercent(sum, total)} ${value(item.cum).padStart(10)} ${formatPercent(item.cum, total)}  ${item.name}`);
  }
  return `${lines.join('\n')}\n`;
}

async function run(argv: string[]): Promise<string> {
  const [name, ...rest] = argv;
  const commands = Object.keys(COMMANDS).join(', ');
  if (name === undefined) throw new UsageError(`no command given; commands: ${commands}`);
  if (name === '--help' || name === '-h' || name === 'help') return `${USAGE}\n`;
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${commands}`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${name}: ${(err as Error).message}`);
  }
  if (parsed.values.help) return `usage: ${command.usage}\n`;
  const [min, max] = command.files;
  const files = parsed.positionals;
  if (files.length < min || files.length > max) {
    const wanted = min === max ? `${min} file${min > 1 ? 's' : ''}` : `at least ${min} file`;
    throw new UsageError(`${name} takes ${wanted}, got ${files.length}`);
  }
  return command.run(files, parsed.values);
}

async function main(argv: string[]): Promise<number> {
  try {
    process.stdout.write(await run(argv));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`profd: ${err.message}\nRun \`profd --help\` for usage.\n`);
      return 2;
    }
    if (err instanceof FileError || isProfileError(err)) {
      process.stderr.write(`profd: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));

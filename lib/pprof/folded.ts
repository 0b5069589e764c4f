import { buildCallTree, type CallTree } from './calltree';
import { ProfileError } from './errors';
import type { Func, Location, Profile, Sample } from './model';

/**
 * Folded stacks (Brendan Gregg's format, read by flamegraph.pl, speedscope and most flame graph
 * tools): one line per distinct stack, `root;caller;leaf value`, frames named as `top` names them
 * with inlined calls expanded. Identical stacks are summed, stacks summing to zero and samples without
 * a stack are left out, and lines are sorted so the output is stable. Names are written as they are,
 * so one containing `;` reads back as two frames, as in every tool that uses the format.
 */
export function toFolded(profile: Profile, sampleIndex: number): string {
  return callTreeToFolded(buildCallTree(profile, sampleIndex));
}

/**
 * A call tree as folded stacks, one line per node with a non-zero self value; the compact way to
 * snapshot a tree in tests. Trimmed subtrees are absent, as they are from the tree.
 */
export function callTreeToFolded(tree: CallTree): string {
  const sums = new Map<string, number>();
  const path: string[] = [];
  for (let node = 1; node < tree.name.length; node++) {
    const depth = tree.depth[node];
    path[depth - 1] = tree.names[tree.name[node]];
    if (tree.self[node] === 0) continue;
    const stack = path.slice(0, depth).join(';');
    sums.set(stack, (sums.get(stack) ?? 0) + tree.self[node]);
  }
  const lines = [...sums].filter(([, value]) => value !== 0).map(([stack, value]) => `${stack} ${value}`);
  return lines.sort().map((line) => `${line}\n`).join('');
}

/** The sample type a folded file's numbers are in, which the format itself does not say. */
export interface FoldedOptions {
  sampleType: string;
  unit: string;
}

const FOLDED_LINE = /^(.*?)\s+(-?\d+)$/;

/**
 * Reads folded stacks into a profile with one function and one location per distinct frame name and
 * one sample per distinct stack (repeated stacks summed). Blank lines are skipped; any other line that
 * is not `frame;frame;… integer` is refused with a ProfileError naming its line number.
 */
export function parseFolded(text: string, options: FoldedOptions): Profile {
  if (options.sampleType === '' || options.unit === '') {
    throw new ProfileError('invalid_value', 'folded stacks need a sample type and a unit, such as samples and count');
  }
  const stacks = new Map<string, { frames: string[]; value: number }>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const { stack, frames, value } = parseLine(line, i + 1);
    const entry = stacks.get(stack);
    if (entry) entry.value += value;
    else stacks.set(stack, { frames, value });
  });
  const builder = new FrameBuilder();
  const samples: Sample[] = [...stacks.values()].map(({ frames, value }) => ({
    locations: frames.map((name) => builder.location(name)).reverse(),
    values: [value],
    labels: [],
  }));
  return {
    sampleTypes: [{ type: options.sampleType, unit: options.unit }],
    defaultSampleType: '',
    samples,
    mappings: [],
    locations: builder.locations,
    functions: builder.functions,
    dropFrames: '',
    keepFrames: '',
    timeNanos: 0n,
    durationNanos: 0,
    periodType: null,
    period: 0,
    comments: [],
    docUrl: '',
  };
}

function parseLine(line: string, lineNumber: number): { stack: string; frames: string[]; value: number } {
  const match = FOLDED_LINE.exec(line);
  if (!match || match[1] === '') {
    throw new ProfileError('invalid_value', `folded stacks line ${lineNumber}: expected "frame;frame;… count", got ${quote(line)}`);
  }
  const value = Number(match[2]);
  if (!Number.isSafeInteger(value)) {
    throw new ProfileError('invalid_value', `folded stacks line ${lineNumber}: ${match[2]} is too large for an exact sample value`);
  }
  const frames = match[1].split(';');
  const empty = frames.findIndex((frame) => frame.trim() === '');
  if (empty >= 0) {
    throw new ProfileError('invalid_value', `folded stacks line ${lineNumber}: frame ${empty + 1} of ${quote(match[1])} has no name`);
  }
  return { stack: match[1], frames, value };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** One function and one location per distinct frame name, with IDs from 1 in order of first use. */
class FrameBuilder {
  readonly functions: Func[] = [];
  readonly locations: Location[] = [];
  private readonly byName = new Map<string, Location>();

  location(name: string): Location {
    let location = this.byName.get(name);
    if (!location) {
      const fn: Func = { id: this.functions.length + 1, name, systemName: name, filename: '', startLine: 0 };
      this.functions.push(fn);
      location = { id: this.locations.length + 1, mapping: null, address: 0n, lines: [{ fn, line: 0, column: 0 }], isFolded: false };
      this.locations.push(location);
      this.byName.set(name, location);
    }
    return location;
  }
}

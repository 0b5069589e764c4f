import type { Mapping } from './model';
import type { ProfileColumns } from './profile-columns';

/**
 * One node of pprof's call graph at function granularity (go tool pprof's default): a function, or a
 * binary for code without symbols. Shared by top and the call tree so both name frames alike.
 */
export interface Frame {
  /** Dense index within one FrameTable, usable as an array index. */
  readonly id: number;
  /** The name pprof prints: the function name, `[binary]` for an unsymbolized location, or `<unknown>`. */
  readonly name: string;
  /**
   * A function's system name, which with its name makes two frames the same node (pprof keys nodes by
   * both, NodeInfo.OrigName, but prints only the name); null for a binary's frame.
   */
  readonly systemName: string | null;
  /** A binary's frame's base name of the binary, which makes two such frames the same node; '' for a function's. */
  readonly binary: string;
}

/**
 * Go's filepath.Base, which pprof uses for `[binary]` names. Hand-written rather than node:path so
 * lib/pprof stays loadable in the browser.
 */
function baseName(file: string): string {
  const trimmed = file.replace(/\/+$/, '');
  if (trimmed === '') return file === '' ? '.' : '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Orders frames that print alike: functions before binaries, then by name and system name, or by binary. */
export function compareFrames(a: Frame, b: Frame): number {
  if ((a.systemName === null) !== (b.systemName === null)) return a.systemName === null ? 1 : -1;
  return compareText(a.name, b.name) || compareText(a.systemName ?? a.binary, b.systemName ?? b.binary);
}

/** Orders strings by UTF-16 code units, as `<` does. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Interns frames, so every occurrence of a function maps to one Frame, across profiles too (a diff's
 * two sides). Functions are found by name, then among those of that name (nearly always one) by
 * system name, rather than by one string joining both, built for each function: top of
 * google-pprof__large.cpu (23,038 functions) took 0.76–0.85× the time so (in-process A/B, same rows).
 */
export class FrameTable {
  readonly frames: Frame[] = [];
  private readonly functions = new Map<string, Frame | Frame[]>();
  private readonly binaries = new Map<string, Frame>();

  /** The frames of one profile's locations. */
  of(columns: ProfileColumns): LocationFrames {
    return new LocationFrames(this, columns);
  }

  /** The frame of the function with this name and system name. */
  function(name: string, systemName: string): Frame {
    const named = this.functions.get(name);
    if (named !== undefined && !Array.isArray(named) && named.systemName === systemName) return named;
    const known = Array.isArray(named) ? named.find((frame) => frame.systemName === systemName) : undefined;
    if (known !== undefined) return known;
    const frame = this.add(name === '' ? '<unknown>' : name, systemName, '');
    if (named === undefined) this.functions.set(name, frame);
    else if (Array.isArray(named)) named.push(frame);
    else this.functions.set(name, [named, frame]);
    return frame;
  }

  /**
   * The frame of a location without lines, named as pprof names it: `[basename of the mapping file]`,
   * or `<unknown>` without one.
   */
  binaryOf(mapping: Mapping | null): Frame {
    const binary = mapping && mapping.file !== '' ? baseName(mapping.file) : '';
    let frame = this.binaries.get(binary);
    if (frame === undefined) this.binaries.set(binary, (frame = this.add(binary === '' ? '<unknown>' : `[${binary}]`, null, binary)));
    return frame;
  }

  private add(name: string, systemName: string | null, binary: string): Frame {
    const frame = { id: this.frames.length, name, systemName, binary };
    this.frames.push(frame);
    return frame;
  }
}

/**
 * The frames of one profile's locations by position, each location's worked out once and each
 * function's named once, not once per sample that reaches it.
 */
export class LocationFrames {
  private readonly byLocation: (readonly Frame[] | undefined)[];
  private readonly byFunction: (Frame | undefined)[];

  constructor(private readonly table: FrameTable, private readonly columns: ProfileColumns) {
    this.byLocation = new Array<readonly Frame[] | undefined>(columns.locations.count);
    this.byFunction = new Array<Frame | undefined>(columns.functions.count);
  }

  /**
   * The frames of location `i` in the order of its lines: innermost (inlined callee) first, the
   * function it was inlined into last. A location without lines has exactly one frame.
   */
  at(i: number): readonly Frame[] {
    return (this.byLocation[i] ??= this.frames(i));
  }

  private frames(i: number): readonly Frame[] {
    const { lineStart, lines, mapping } = this.columns.locations;
    const count = lineStart[i + 1] - lineStart[i];
    if (count === 0) return [this.table.binaryOf(mapping[i] < 0 ? null : this.columns.mappings[mapping[i]])];
    const frames = new Array<Frame>(count);
    for (let j = 0; j < count; j++) frames[j] = this.functionFrame(lines[3 * (lineStart[i] + j)]);
    return frames;
  }

  private functionFrame(f: number): Frame {
    const { strings, functions: { fields } } = this.columns;
    return (this.byFunction[f] ??= this.table.function(strings.at(fields[5 * f + 1]) as string, strings.at(fields[5 * f + 2]) as string));
  }
}

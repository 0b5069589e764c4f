import type { Line, Mapping } from './model';
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
  /** What makes two frames the same node (a function's name and system name, or the binary). */
  readonly key: string;
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

/**
 * How pprof names one line of a location with addresses, file names and line numbers aggregated
 * away: the function name; for a location without lines, `[basename of the mapping file]`; failing
 * both, `<unknown>`. Returns the key that tells nodes apart alongside the name.
 */
export function nameFrame(line: Line | undefined, mapping: Mapping | null): { name: string; key: string } {
  return line ? nameFunctionFrame(line.fn.name, line.fn.systemName) : nameObjectFrame(mapping);
}

function nameFunctionFrame(name: string, systemName: string): { name: string; key: string } {
  // pprof keys nodes by name and system name (NodeInfo.OrigName) but prints only the name.
  return { name: name === '' ? '<unknown>' : name, key: `f\0${name}\0${systemName}` };
}

function nameObjectFrame(mapping: Mapping | null): { name: string; key: string } {
  const objfile = mapping && mapping.file !== '' ? baseName(mapping.file) : '';
  return { name: objfile === '' ? '<unknown>' : `[${objfile}]`, key: `o\0${objfile}` };
}

/** Interns frames, so every occurrence of a function maps to one Frame, across profiles too (a diff's two sides). */
export class FrameTable {
  readonly frames: Frame[] = [];
  private readonly byKey = new Map<string, Frame>();

  /** The frames of one profile's locations. */
  of(columns: ProfileColumns): LocationFrames {
    return new LocationFrames(this, columns);
  }

  intern({ name, key }: { name: string; key: string }): Frame {
    let frame = this.byKey.get(key);
    if (!frame) {
      frame = { id: this.frames.length, name, key };
      this.frames.push(frame);
      this.byKey.set(key, frame);
    }
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
    if (count === 0) return [this.table.intern(nameObjectFrame(mapping[i] < 0 ? null : this.columns.mappings[mapping[i]]))];
    const frames = new Array<Frame>(count);
    for (let j = 0; j < count; j++) frames[j] = this.functionFrame(lines[3 * (lineStart[i] + j)]);
    return frames;
  }

  private functionFrame(f: number): Frame {
    const { strings, functions: { fields } } = this.columns;
    return (this.byFunction[f] ??= this.table.intern(nameFunctionFrame(strings.at(fields[5 * f + 1]) as string, strings.at(fields[5 * f + 2]) as string)));
  }
}

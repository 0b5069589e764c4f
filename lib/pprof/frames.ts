import type { Line, Location, Mapping } from './model';

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
  if (line) {
    // pprof keys nodes by name and system name (NodeInfo.OrigName) but prints only the name.
    const name = line.fn.name === '' ? '<unknown>' : line.fn.name;
    return { name, key: `f\0${line.fn.name}\0${line.fn.systemName}` };
  }
  const objfile = mapping && mapping.file !== '' ? baseName(mapping.file) : '';
  return { name: objfile === '' ? '<unknown>' : `[${objfile}]`, key: `o\0${objfile}` };
}

/**
 * Interns frames so every occurrence of a function maps to one Frame, and remembers each location's
 * frames so a stack is turned into frames once per location, not once per sample.
 */
export class FrameTable {
  readonly frames: Frame[] = [];
  private readonly byKey = new Map<string, Frame>();
  private readonly byLocation = new Map<Location, readonly Frame[]>();

  /**
   * The frames of a location in the order of `location.lines`: innermost (inlined callee) first,
   * the function it was inlined into last. A location without lines has exactly one frame.
   */
  locationFrames(location: Location): readonly Frame[] {
    let frames = this.byLocation.get(location);
    if (!frames) {
      frames = location.lines.length === 0
        ? [this.intern(undefined, location.mapping)]
        : location.lines.map((line) => this.intern(line, location.mapping));
      this.byLocation.set(location, frames);
    }
    return frames;
  }

  private intern(line: Line | undefined, mapping: Mapping | null): Frame {
    const { name, key } = nameFrame(line, mapping);
    let frame = this.byKey.get(key);
    if (!frame) {
      frame = { id: this.frames.length, name, key };
      this.frames.push(frame);
      this.byKey.set(key, frame);
    }
    return frame;
  }
}

import { ProfileError } from './errors';
import { NumberList } from './lists';
import { LEN, VARINT, type WireReader } from './wire';

/**
 * One Location message's fields, read into storage reused from message to message, its references
 * (mapping id, function ids) not yet resolved: decodeProfile resolves them into objects, the merger of
 * encoded profiles into its tables.
 */
export class LocationFields {
  id = 0;
  mappingId = 0;
  /** A number when exact (below 2^53), which spares a bigint per location. */
  address: number | bigint = 0;
  isFolded = false;
  /** (function id, line, column) for each Line, innermost first. */
  readonly lines = new NumberList();

  /** Reads the Location message the reader is positioned on. */
  read(r: WireReader): void {
    this.id = 0;
    this.mappingId = 0;
    this.address = 0;
    this.isFolded = false;
    this.lines.count = 0;
    while (r.pos < r.end) {
      switch (r.key()) {
        case 1 * 8 + VARINT: this.id = r.uint(); break;
        case 2 * 8 + VARINT: this.mappingId = r.uint(); break;
        case 3 * 8 + VARINT: this.address = r.uintOrBig(); break;
        case 4 * 8 + LEN: this.readLine(r); break;
        case 5 * 8 + VARINT: this.isFolded = r.bool(); break;
        default: r.skip(5, 'Location');
      }
    }
  }

  /** The number of Line messages read. */
  get lineCount(): number {
    return this.lines.count / 3;
  }

  /** Refuses the location: its mapping id names no mapping. */
  missingMapping(): ProfileError {
    return new ProfileError('invalid_reference', `location ${this.id} references missing mapping ${this.mappingId}`);
  }

  /** Refuses the location: its line `j` names no function. */
  missingFunction(j: number): ProfileError {
    return new ProfileError('invalid_reference', `location ${this.id} references missing function ${this.lines.at(3 * j)}`);
  }

  private readLine(r: WireReader): void {
    const outer = r.enter();
    let functionId = 0, line = 0, column = 0;
    while (r.pos < r.end) {
      switch (r.key()) {
        case 1 * 8 + VARINT: functionId = r.uint(); break;
        case 2 * 8 + VARINT: line = r.int(); break;
        case 3 * 8 + VARINT: column = r.int(); break;
        default: r.skip(3, 'Line');
      }
    }
    r.leave(outer);
    this.lines.push(functionId);
    this.lines.push(line);
    this.lines.push(column);
  }
}

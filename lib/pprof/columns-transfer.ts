import { FunctionColumns, LocationColumns } from './decode-columns';
import type { HeaderAndColumns } from './decode';
import { SampleColumns } from './decode-sample-columns';
import type { ProfileHeader } from './decode-scan';
import { IdIndex, StringTable } from './decode-tables';
import { Ranges } from './lists';
import type { Mapping, SampleLabel } from './model';
import { WireReader } from './wire';

/**
 * A decoded profile as a message to another thread: its header and mappings cloned, everything else
 * typed arrays whose buffers move rather than copy (the `transfer` list of postMessage). Strings stay
 * where they lie in the raw profile, so the receiver merges them by their bytes as it would have.
 */
export interface ColumnsMessage {
  readonly header: ProfileHeader;
  readonly mappings: readonly Mapping[];
  readonly raw: Uint8Array<ArrayBuffer>;
  /** [start, end) of each string in `raw`. */
  readonly strings: Uint32Array<ArrayBuffer>;
  readonly functions: { readonly count: number; readonly fields: Float64Array<ArrayBuffer> };
  readonly locations: {
    readonly count: number;
    readonly ids: Float64Array<ArrayBuffer>;
    readonly mapping: Int32Array<ArrayBuffer>;
    readonly address: Float64Array<ArrayBuffer>;
    readonly bigAddress: ReadonlyMap<number, bigint>;
    readonly folded: Uint8Array<ArrayBuffer>;
    readonly lineStart: Int32Array<ArrayBuffer>;
    readonly lines: Float64Array<ArrayBuffer>;
  };
  readonly samples: {
    readonly count: number;
    readonly typeCount: number;
    readonly stackStart: Int32Array<ArrayBuffer>;
    readonly stacks: Int32Array<ArrayBuffer>;
    readonly values: Float64Array<ArrayBuffer>;
    readonly labelIndex: Int32Array<ArrayBuffer>;
    readonly labelLists: readonly (readonly SampleLabel[])[];
  };
}

/**
 * The message for decoded columns and the buffers it moves. The columns must be decodeColumns' own,
 * which share no buffer with anything else: after posting, their arrays are detached and unusable here.
 */
export function columnsMessage({ header, columns }: HeaderAndColumns): { message: ColumnsMessage; transfer: ArrayBuffer[] } {
  const { strings, mappings, functions: f, locations: l, samples: s } = columns;
  if (!(strings instanceof StringTable)) throw new TypeError('columnsMessage takes decoded columns, whose strings lie in the profile');
  const message: ColumnsMessage = {
    header,
    mappings,
    raw: ownBuffer(strings.bytes),
    strings: strings.ranges.pairs(),
    functions: { count: f.count, fields: f.fields },
    locations: { count: l.count, ids: l.ids, mapping: l.mapping, address: l.address, bigAddress: l.bigAddress, folded: l.folded, lineStart: l.lineStart, lines: l.lines },
    samples: { count: s.count, typeCount: s.typeCount, stackStart: s.stackStart, stacks: s.stacks, values: s.values, labelIndex: s.labelIndex, labelLists: s.labelLists },
  };
  const arrays = [message.raw, message.strings, f.fields, l.ids, l.mapping, l.address, l.folded, l.lineStart, l.lines, s.stackStart, s.stacks, s.values, s.labelIndex];
  return { message, transfer: [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))] };
}

/** The header and columns a ColumnsMessage carries, as decodeColumns returned them on the other side. */
export function columnsFromMessage(message: ColumnsMessage): HeaderAndColumns {
  const { header, mappings, raw, functions: f, locations: l, samples: s } = message;
  const functions = new FunctionColumns();
  functions.count = f.count;
  functions.fields = f.fields;
  functions.index = new IdIndex(f.count, (i) => f.fields[5 * i], 'function');
  const locations = new LocationColumns();
  Object.assign(locations, { count: l.count, ids: l.ids, mapping: l.mapping, address: l.address, folded: l.folded, lineStart: l.lineStart, lines: l.lines });
  for (const [i, address] of l.bigAddress) locations.bigAddress.set(i, address);
  locations.index = new IdIndex(l.count, (i) => l.ids[i], 'location');
  const samples = new SampleColumns();
  Object.assign(samples, { count: s.count, typeCount: s.typeCount, stackStart: s.stackStart, stacks: s.stacks, values: s.values, labelIndex: s.labelIndex, labelLists: s.labelLists });
  const strings = new StringTable(new WireReader(raw), Ranges.of(message.strings));
  return { header, columns: { strings, mappings, functions, locations, samples } };
}

/**
 * `bytes` in a buffer of their own: a Buffer may be a slice of Node's shared pool, which must not
 * move to another thread. Copied through Uint8Array's `slice`, as Buffer's makes a view.
 */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : Uint8Array.prototype.slice.call(bytes);
}

import { HashChains, mix } from './hash-chains';
import { grow, type NumberList } from './lists';

/**
 * Merged locations as columns: location `i` is in merged mapping `mapping[i]` (-1 for none), at
 * `address[i]` relative to that mapping (see relativeAddress), and its lines are the (merged function
 * index, line, column) triples from `lines[3 * lineStart[i]]` to `lines[3 * lineStart[i + 1]]`.
 * Typed arrays rather than an object or array per location: a merge interns hundreds of thousands.
 */
export class LocationTable {
  count = 0;
  mapping = new Int32Array(1024);
  readonly address: (number | bigint)[] = [];
  folded = new Uint8Array(1024);
  lineStart = new Int32Array(1025);
  lines = new Float64Array(3 * 1024);
  private readonly chains = new HashChains();

  /** The index of the location with these fields, adding it when new; `lines` holds the triples. */
  intern(mapping: number, address: number | bigint, folded: boolean, lines: NumberList): number {
    const approx = Number(address);
    let hash = mix(mix(mix(mix(0, mapping), approx % 0x100000000), approx / 0x100000000), folded ? 1 : 0);
    for (let j = 0; j < lines.count; j++) hash = mix(hash, lines.at(j));
    for (let i = this.chains.first(hash); i >= 0; i = this.chains.next(i)) {
      if (this.matches(i, mapping, address, folded, lines)) return i;
    }
    return this.insert(hash, mapping, address, folded, lines);
  }

  private matches(i: number, mapping: number, address: number | bigint, folded: boolean, lines: NumberList): boolean {
    if (this.mapping[i] !== mapping || this.address[i] !== address || (this.folded[i] === 1) !== folded) return false;
    const start = 3 * this.lineStart[i];
    if (3 * this.lineStart[i + 1] - start !== lines.count) return false;
    for (let j = 0; j < lines.count; j++) if (this.lines[start + j] !== lines.at(j)) return false;
    return true;
  }

  private insert(hash: number, mapping: number, address: number | bigint, folded: boolean, lines: NumberList): number {
    const i = this.count++;
    if (this.count >= this.mapping.length) {
      this.mapping = grow(this.mapping, this.count);
      this.folded = grow(this.folded, this.count);
      this.lineStart = grow(this.lineStart, this.count + 1);
    }
    const start = 3 * this.lineStart[i];
    if (start + lines.count > this.lines.length) this.lines = grow(this.lines, start + lines.count);
    for (let j = 0; j < lines.count; j++) this.lines[start + j] = lines.at(j);
    this.lineStart[i + 1] = this.lineStart[i] + lines.count / 3;
    this.mapping[i] = mapping;
    this.address.push(address);
    this.folded[i] = folded ? 1 : 0;
    this.chains.add(hash, i);
    return i;
  }
}

/**
 * Sample values as pprof prints them: `1.28s`, `1.68MB`, `176`. Written by hand because the point is
 * to print exactly what `go tool pprof` prints (its internal/measurement: 1024-based `kB`/`MB`, `us`,
 * `hrs`, units sniffed from names such as `nanoseconds` or `bytes`); general-purpose formatters
 * (pretty-bytes, ms) use other bases and suffixes.
 */

interface Unit {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly factor: number;
}

interface UnitFamily {
  readonly units: readonly Unit[];
  readonly defaultUnit: Unit;
}

const unit = (name: string, aliases: string[], factor: number): Unit => ({ name, aliases, factor });

const BYTES = unit('B', ['b', 'byte'], 1);
const SECONDS = unit('s', ['s', 'sec', 'second'], 1e9);
const GCU = unit('GCU', ['gcu'], 1);

const FAMILIES: readonly UnitFamily[] = [
  {
    units: [
      BYTES,
      unit('kB', ['kb', 'kbyte', 'kilobyte'], 2 ** 10),
      unit('MB', ['mb', 'mbyte', 'megabyte'], 2 ** 20),
      unit('GB', ['gb', 'gbyte', 'gigabyte'], 2 ** 30),
      unit('TB', ['tb', 'tbyte', 'terabyte'], 2 ** 40),
      unit('PB', ['pb', 'pbyte', 'petabyte'], 2 ** 50),
    ],
    defaultUnit: BYTES,
  },
  {
    units: [
      unit('ns', ['ns', 'nanosecond'], 1),
      unit('us', ['μs', 'us', 'microsecond'], 1e3),
      unit('ms', ['ms', 'millisecond'], 1e6),
      SECONDS,
      unit('hrs', ['hour', 'hr'], 3600e9),
    ],
    defaultUnit: SECONDS,
  },
  {
    units: [
      unit('n*GCU', ['nanogcu'], 1e-9),
      unit('u*GCU', ['microgcu'], 1e-6),
      unit('m*GCU', ['milligcu'], 1e-3),
      GCU,
      unit('k*GCU', ['kilogcu'], 1e3),
      unit('M*GCU', ['megagcu'], 1e6),
      unit('G*GCU', ['gigagcu'], 1e9),
      unit('T*GCU', ['teragcu'], 1e12),
      unit('P*GCU', ['petagcu'], 1e15),
    ],
    defaultUnit: GCU,
  },
];

/** A value converted to another unit; `unit` is "" for unit-less counts. */
export interface ScaledValue {
  value: number;
  unit: string;
}

/** Finds a unit by a sample-type unit name, forgiving case and a plural `s` (`Nanoseconds` → ns). */
function sniff(family: UnitFamily, name: string): Unit | undefined {
  let alias = name.toLowerCase();
  if (alias.length > 2 && alias.endsWith('s')) alias = alias.slice(0, -1);
  return family.units.find((u) => u.aliases.includes(alias));
}

/** The largest unit of the family in which the value (in base units) is at least 1. */
function autoScale(family: UnitFamily, base: number): ScaledValue {
  let best: Unit | undefined;
  for (const u of family.units) if (base / u.factor >= 1 && (!best || u.factor >= best.factor)) best = u;
  const chosen = best ?? family.defaultUnit;
  return { value: base / chosen.factor, unit: chosen.name };
}

/**
 * Converts `value` from `fromUnit` (a sample-type unit such as `nanoseconds`) to `toUnit`, or to the
 * most readable unit when `toUnit` is `auto`, as pprof's measurement.Scale does.
 */
export function scaleValue(value: number, fromUnit: string, toUnit = 'auto'): ScaledValue {
  if (value < 0) {
    const scaled = scaleValue(-value, fromUnit, toUnit);
    return { value: -scaled.value, unit: scaled.unit };
  }
  for (const family of FAMILIES) {
    const from = sniff(family, fromUnit);
    if (!from) continue;
    const base = value * from.factor;
    if (toUnit === 'auto' || toUnit === 'minimum') return autoScale(family, base);
    const to = sniff(family, toUnit) ?? family.defaultUnit;
    return { value: base / to.factor, unit: to.name };
  }
  const unitless = ['count', 'sample', 'unit', 'minimum', 'auto'].includes(toUnit);
  return { value, unit: unitless ? '' : toUnit };
}

/** A value in `unit` as pprof prints it: two decimals unless whole (`1.28s`, `110ms`, `176`, `0`). */
export function formatValue(value: number, unit: string, toUnit = 'auto'): string {
  if (unit === '' && toUnit === 'count') return String(value);
  const scaled = scaleValue(value, unit, toUnit);
  const text = fixed(scaled.value, 2).replace(/\.00$/, '');
  return text === '0' || text === '-0' ? '0' : text + scaled.unit;
}

/** `value` as a share of `total`, as pprof's percent columns print it (`72.73%`, `  100%`, `0.0048%`). */
export function formatPercent(value: number, total: number): string {
  const ratio = total === 0 ? 0 : Math.abs(value / total) * 100;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return `${fixed(ratio, 2).padStart(5)}%`;
  return `${formatG2(ratio).padStart(5)}%`;
}

/** Go's `%.2g`: two significant digits, no trailing zeros, exponent form below 1e-4. */
function formatG2(x: number): string {
  if (x === 0) return '0';
  const rounded = Number(significant(x, 2));
  const exponent = Math.floor(Math.log10(Math.abs(rounded)));
  if (exponent < -4) {
    const [mantissa, exp] = x.toExponential(1).split('e');
    const digits = Math.abs(Number(exp)).toString().padStart(2, '0');
    return `${mantissa.replace(/\.0$/, '')}e${exp.startsWith('-') ? '-' : '+'}${digits}`;
  }
  return String(rounded);
}

/**
 * `x` with `digits` decimals as Go's strconv rounds it: a value exactly halfway between two results
 * goes to the even one, where toFixed goes away from zero. Halfway values are common in pprof's
 * units: 128 bytes is 0.125kB, so Go prints 1049728 bytes as 1025.12kB where toFixed gives 1025.13.
 */
function fixed(x: number, digits: number): string {
  const text = x.toFixed(digits);
  const scaled = Math.abs(x) * 10 ** digits;
  // Only a value within float error of halfway can be halfway; its exact decimal expansion decides.
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-9 * Math.max(1, scaled) || Math.abs(x) >= 1e21) return text;
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf('.');
  if (!/^50*$/.test(exact.slice(point + 1 + digits))) return text;
  const down = exact.slice(0, digits > 0 ? point + 1 + digits : point);
  return Number(down[down.length - 1]) % 2 === 0 ? (x < 0 ? '-' : '') + down : text;
}

/** `x` (not 0) to `digits` significant digits, halfway values to even as in `fixed`. */
function significant(x: number, digits: number): string {
  const decimals = digits - 1 - Math.floor(Math.log10(Math.abs(x)));
  return decimals >= 0 && decimals <= 100 ? fixed(x, decimals) : x.toPrecision(digits);
}

/**
 * The one unit a table of values is printed in, chosen as pprof's selectOutputUnit does: the unit of
 * the smallest non-zero value, moved up a unit when that is over 100 times smaller than the total.
 */
export function tableUnit(values: readonly number[], total: number, unit: string): string {
  const nonZero = values.map(Math.abs).filter((v) => v > 0);
  const min = nonZero.length > 0 ? Math.min(...nonZero) : Math.abs(total);
  const minUnit = scaleValue(min, unit, 'minimum').unit;
  const maxUnit = scaleValue(Math.abs(total), unit, 'minimum').unit;
  const chosen = minUnit !== maxUnit && min * 100 < Math.abs(total) ? scaleValue(100 * min, unit, 'minimum').unit : minUnit;
  return chosen === '' ? unit : chosen;
}

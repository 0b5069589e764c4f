import { isDiffTree, type FlameTree } from './tree';

/**
 * Frame colours: a warm hue per package, as pprof's flame graph does, so one library's frames read as
 * one block; and in a diff a red–grey–green scale by relative change.
 */

export type Theme = 'light' | 'dark';

// `fn file.js:12`, `fn (file.js:12:3)`, `fn node:internal/timers:512:7`: a JavaScript frame.
const JS_LOCATION = /[\s(]([^\s()]+?):\d+(?::\d+)?\)?$/;

/**
 * The package a frame belongs to: a Go import path (`github.com/a/b/pkg.(*T).Method` →
 * `github.com/a/b/pkg`), a C++ or Rust namespace (`ns::Class::method` → `ns`), a JavaScript file
 * (`fn (file.js:12:3)` → `file.js`), else the name's first token.
 */
export function packageOf(name: string): string {
  const js = JS_LOCATION.exec(name);
  if (js) return js[1];
  const scope = name.indexOf('::');
  if (scope > 0) return name.slice(0, scope);
  const go = goPackage(name);
  if (go) return go;
  const token = /^[^\s(]+/.exec(name);
  return token ? token[0] : name;
}

/**
 * Go's package path is everything up to the first dot after the last slash, ignoring what follows a
 * `(` or `[` (receivers, type parameters with slashes of their own); gopkg.in-style `.vN` belongs to the path.
 */
function goPackage(name: string): string | null {
  const head = name.search(/[[(\s]/);
  const symbol = head < 0 ? name : name.slice(0, head);
  const slash = symbol.lastIndexOf('/');
  const rest = symbol.slice(slash + 1);
  const match = /^[^.]+(?:\.v\d+(?=\.))?/.exec(rest);
  if (!match || match[0].length === rest.length) return null;
  return symbol.slice(0, slash + 1 + match[0].length);
}

/** FNV-1a: a fast, stable string hash, so a package keeps its colour across profiles and reloads. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const WARM_HUE_FROM = 0;
const WARM_HUE_SPAN = 50;

/** The hue (degrees) of a package: red through orange to amber. */
export function packageHue(pkg: string): number {
  return WARM_HUE_FROM + (hashString(pkg) % (WARM_HUE_SPAN * 10)) / 10;
}

/** A frame's fill colour: its package's hue, light on a light page and dark on a dark one. */
export function frameColor(name: string, theme: Theme): string {
  return packageColor(packageOf(name), theme);
}

function packageColor(pkg: string, theme: Theme): string {
  const hue = packageHue(pkg);
  // A second slice of the hash varies lightness a little, so neighbouring hues stay apart.
  const shade = (hashString(pkg) >>> 16) % 9;
  const lightness = theme === 'light' ? 64 + shade : 30 + shade;
  const saturation = theme === 'light' ? 78 : 52;
  return `hsl(${hue.toFixed(1)} ${saturation}% ${lightness}%)`;
}

/** Relative change at which a diff colour is at full strength: +100% (doubled) or −100% (gone). */
export const DIFF_CAP = 1;

/**
 * A diff frame's signed strength in [−1, 1]: positive for growth, negative for shrink, 0 unchanged,
 * by the relative change (after − before) / before, capped. New frames are 1, gone frames −1.
 */
export function diffStrength(before: number, after: number): number {
  if (before === after) return 0;
  if (before <= 0) return after > 0 ? 1 : 0;
  if (after <= 0) return -1;
  const relative = (after - before) / before;
  return Math.max(-1, Math.min(1, relative / DIFF_CAP));
}

/** Shades on each side of grey: strengths are rounded to one of these so a diff draws with 2·N+1 colours. */
export const DIFF_STEPS = 16;

/** The palette index of a strength: 0 is full shrink, DIFF_STEPS is unchanged, 2·DIFF_STEPS is full growth. */
export function diffShade(strength: number): number {
  return DIFF_STEPS + Math.round(strength * DIFF_STEPS);
}

/** The 2·DIFF_STEPS+1 diff colours, from `shrink` through `neutral` to `grow` (CSS colours). */
export function diffPalette(grow: string, shrink: string, neutral: string): string[] {
  const palette: string[] = [];
  for (let shade = 0; shade <= 2 * DIFF_STEPS; shade++) {
    const strength = (shade - DIFF_STEPS) / DIFF_STEPS;
    palette.push(strength < 0 ? mixColors(neutral, shrink, -strength) : mixColors(neutral, grow, strength));
  }
  return palette;
}

export type Rgb = [number, number, number];

/** Parses `#rgb`, `#rrggbb` and `rgb()`/`rgba()` colours (what CSS variables here hold); null otherwise. */
export function parseColor(css: string): Rgb | null {
  const text = css.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
    return [0, 2, 4].map((at) => parseInt(digits.slice(at, at + 2), 16)) as Rgb;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(text);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return null;
}

/** `from` moved a fraction `t` towards `to`, as `rgb(r g b)`; unparsable colours count as grey. */
export function mixColors(from: string, to: string, t: number): string {
  const a = parseColor(from) ?? GREY;
  const b = parseColor(to) ?? GREY;
  const channel = (i: number) => Math.round(a[i] + (b[i] - a[i]) * t);
  return `rgb(${channel(0)} ${channel(1)} ${channel(2)})`;
}

const GREY: Rgb = [128, 128, 128];

/** The theme's colours a flame graph needs, read from the page's CSS variables. */
export interface FlameThemeColors {
  fg: string;
  bg: string;
  grow: string;
  shrink: string;
  /** The grey of an unchanged diff frame. */
  neutral: string;
}

/** Fill and text colours for every node of a tree: node i is drawn with `fills[fillOf[i]]` and `text[fillOf[i]]`. */
export interface FramePalette {
  fills: string[];
  text: string[];
  fillOf: Int32Array;
}

/**
 * Colours every node once per tree and theme, so drawing only looks colours up: by package, or in a
 * diff by the change from before (base) to after (total + base).
 */
export function framePalette(tree: FlameTree, colors: FlameThemeColors): FramePalette {
  const n = tree.name.length;
  const fillOf = new Int32Array(n);
  if (isDiffTree(tree)) {
    const fills = diffPalette(colors.grow, colors.shrink, colors.neutral);
    for (let i = 0; i < n; i++) fillOf[i] = diffShade(diffStrength(tree.base[i], tree.total[i] + tree.base[i]));
    return { fills, text: fills.map((fill) => readableOn(fill, colors.fg, colors.bg)), fillOf };
  }
  const theme: Theme = luminance(parseColor(colors.bg) ?? GREY) < 0.5 ? 'dark' : 'light';
  const fills: string[] = [];
  const byColor = new Map<string, number>();
  // Colours are worked out once per package, not per name: a big tree has far fewer packages than names.
  const byPackage = new Map<string, number>();
  const nameFill = tree.names.map((name) => {
    const pkg = packageOf(name);
    let index = byPackage.get(pkg);
    if (index === undefined) {
      const fill = packageColor(pkg, theme);
      index = byColor.get(fill) ?? fills.push(fill) - 1;
      byColor.set(fill, index);
      byPackage.set(pkg, index);
    }
    return index;
  });
  for (let i = 0; i < n; i++) fillOf[i] = nameFill[tree.name[i]];
  return { fills, text: fills.map(() => colors.fg), fillOf };
}

/** Whichever of two text colours stands out more on `fill`. */
export function readableOn(fill: string, a: string, b: string): string {
  const background = luminance(parseColor(fill) ?? GREY);
  const contrast = (text: string) => {
    const l = luminance(parseColor(text) ?? GREY);
    return (Math.max(l, background) + 0.05) / (Math.min(l, background) + 0.05);
  };
  return contrast(a) >= contrast(b) ? a : b;
}

/** WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

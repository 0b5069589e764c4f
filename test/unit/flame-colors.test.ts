import { describe, expect, it } from 'vitest';
import { diffPalette, diffShade, diffStrength, DIFF_STEPS, frameColor, framePalette, mixColors, packageHue, packageOf, parseColor, readableOn } from '@/lib/flame/colors';
import { flameTree } from './flame-fixture';

describe('packageOf', () => {
  it.each([
    ['github.com/a/b/pkg.(*T).Method', 'github.com/a/b/pkg'],
    ['github.com/a/b/pkg.Func.func1', 'github.com/a/b/pkg'],
    ['github.com/a/b.Map[go.shape.*uint8,go.shape.string]', 'github.com/a/b'],
    ['gopkg.in/yaml.v3.(*decoder).unmarshal', 'gopkg.in/yaml.v3'],
    ['runtime.mallocgc', 'runtime'],
    ['main.main', 'main'],
    ['ns::Class::method', 'ns'],
    ['std::vector<int>::push_back', 'std'],
    ['tokio::runtime::task::raw::poll', 'tokio'],
    ['handle file.js:12', 'file.js'],
    ['handle (file.js:12:3)', 'file.js'],
    ['(anonymous) (/srv/app/server.js:40:11)', '/srv/app/server.js'],
    ['processTicksAndRejections node:internal/process/task_queues:95:5', 'node:internal/process/task_queues'],
    ['[libc.so.6]', '[libc.so.6]'],
    ['<unknown>', '<unknown>'],
    ['root', 'root'],
    ['malloc', 'malloc'],
  ])('%s → %s', (name, pkg) => {
    expect(packageOf(name)).toBe(pkg);
  });
});

describe('frame colours', () => {
  it('colours one package alike and keeps its colour from run to run', () => {
    expect(frameColor('runtime.mallocgc', 'light')).toBe(frameColor('runtime.gcBgMarkWorker', 'light'));
    expect(packageHue('runtime')).toBe(packageHue('runtime'));
  });

  it('keeps hues warm (red to amber) and tells packages apart', () => {
    const packages = Array.from({ length: 50 }, (_, i) => `github.com/org/pkg${i}`);
    const hues = packages.map(packageHue);
    for (const hue of hues) expect(hue >= 0 && hue < 50).toBe(true);
    expect(new Set(hues).size).toBeGreaterThan(40);
  });

  it('is lighter on a light page than on a dark one', () => {
    const lightness = (css: string) => Number(/ (\d+)%\)$/.exec(css)![1]);
    expect(lightness(frameColor('main.main', 'light'))).toBeGreaterThan(lightness(frameColor('main.main', 'dark')) + 20);
  });
});

describe('diff colours', () => {
  it('scales by relative change, capped, with new frames full growth and gone frames full shrink', () => {
    expect(diffStrength(10, 10)).toBe(0);
    expect(diffStrength(10, 15)).toBeCloseTo(0.5);
    expect(diffStrength(10, 5)).toBeCloseTo(-0.5);
    expect(diffStrength(10, 80)).toBe(1);
    expect(diffStrength(0, 3)).toBe(1);
    expect(diffStrength(3, 0)).toBe(-1);
    expect(diffStrength(0, 0)).toBe(0);
  });

  it('runs from shrink through grey to growth', () => {
    const palette = diffPalette('#00ff00', '#0000ff', '#808080');
    expect(palette).toHaveLength(2 * DIFF_STEPS + 1);
    expect(palette[diffShade(-1)]).toBe('rgb(0 0 255)');
    expect(palette[diffShade(0)]).toBe('rgb(128 128 128)');
    expect(palette[diffShade(1)]).toBe('rgb(0 255 0)');
    expect(palette[diffShade(0.5)]).toBe(mixColors('#808080', '#00ff00', 0.5));
  });

  it('colours each node of a diff tree by its change', () => {
    const diff = flameTree({ kept: 10, grew: 30, fresh: 5 }, { kept: 10, gone: 20, grew: 10 });
    const theme = { fg: '#111111', bg: '#ffffff', grow: '#ff0000', shrink: '#00ff00', neutral: '#808080' };
    const palette = framePalette(diff, theme);
    const fill = (name: string) => palette.fills[palette.fillOf[diff.name.findIndex((n) => diff.names[n] === name)]];
    expect(fill('grew')).toBe('rgb(255 0 0)');
    expect(fill('fresh')).toBe('rgb(255 0 0)');
    expect(fill('gone')).toBe('rgb(0 255 0)');
    expect(fill('kept')).toBe('rgb(128 128 128)');
  });

  it('colours a plain tree by package, one palette entry per colour', () => {
    const tree = flameTree({ 'runtime.main;main.main;runtime.mallocgc': 1 });
    const palette = framePalette(tree, { fg: '#111111', bg: '#ffffff', grow: '', shrink: '', neutral: '' });
    const fillOf = (name: string) => palette.fillOf[tree.name.findIndex((n) => tree.names[n] === name)];
    expect(fillOf('runtime.main')).toBe(fillOf('runtime.mallocgc'));
    expect(palette.fills[fillOf('main.main')]).toBe(frameColor('main.main', 'light'));
    expect(palette.fills).toHaveLength(3);
  });
});

describe('colour helpers', () => {
  it('parses the colour forms CSS variables hold', () => {
    expect(parseColor('#d32f2f')).toEqual([211, 47, 47]);
    expect(parseColor(' #fff ')).toEqual([255, 255, 255]);
    expect(parseColor('rgb(1, 2, 3)')).toEqual([1, 2, 3]);
    expect(parseColor('rgba(1 2 3 / 50%)')).toEqual([1, 2, 3]);
    expect(parseColor('tomato')).toBeNull();
  });

  it('picks the text colour that stands out on a fill', () => {
    expect(readableOn('#f0f0f0', '#1d2330', '#ffffff')).toBe('#1d2330');
    expect(readableOn('#202020', '#1d2330', '#ffffff')).toBe('#ffffff');
  });
});

import { describe, expect, it } from 'vitest';
import { decodeProfile, encodeProfile, encodeProfileRaw, totals, type Profile } from '../../lib/pprof';
import { SYNTHETIC_PRESETS, syntheticProfile } from '../helpers/synthetic';

const stackKeys = (p: Profile) => new Set(p.samples.map((s) => s.locations.map((l) => l.address).join(',')));
const names = (p: Profile) => new Set(p.functions.map((f) => f.name));

describe('syntheticProfile', () => {
  it('gives the same bytes for the same options and different samples for another seed', () => {
    const options = { ...SYNTHETIC_PRESETS.medium, seed: 7 };
    const first = encodeProfileRaw(syntheticProfile(options));
    expect(encodeProfileRaw(syntheticProfile(options))).toEqual(first);
    expect(encodeProfileRaw(syntheticProfile({ ...options, seed: 8 }))).not.toEqual(first);
  });

  it('makes profiles of one program overlap, and of another program not', () => {
    const a = syntheticProfile({ ...SYNTHETIC_PRESETS.medium, seed: 1 });
    const b = syntheticProfile({ ...SYNTHETIC_PRESETS.medium, seed: 2 });
    const other = syntheticProfile({ ...SYNTHETIC_PRESETS.medium, seed: 1, programSeed: 2 });
    const namesOfA = names(a);
    const stacksOfA = stackKeys(a);
    const sharedNames = [...names(b)].filter((n) => namesOfA.has(n)).length;
    expect(sharedNames / names(b).size).toBeGreaterThan(0.8);
    expect([...stackKeys(b)].filter((k) => stacksOfA.has(k)).length).toBeGreaterThan(50);
    expect([...stackKeys(other)].filter((k) => stacksOfA.has(k))).toHaveLength(0);
  });

  it('decodes back to the same profile once encoded', () => {
    const profile = syntheticProfile({ ...SYNTHETIC_PRESETS.medium, seed: 3, sampleTypes: 'heap', labels: 5, inlineFraction: 0.3 });
    const decoded = decodeProfile(encodeProfile(profile));
    expect(decoded).toEqual(profile);
    expect(totals(decoded)).toEqual(totals(profile));
  });

  it.each([
    { sampleTypes: 'cpu' as const, types: ['samples/count', 'cpu/nanoseconds'], labelKeys: [] },
    { sampleTypes: 'heap' as const, types: ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'], labelKeys: ['bytes'] },
  ])('writes $sampleTypes sample types and labels', ({ sampleTypes, types, labelKeys }) => {
    const profile = syntheticProfile({ seed: 1, sampleTypes, labels: 3 });
    expect(profile.sampleTypes.map((t) => `${t.type}/${t.unit}`)).toEqual(types);
    const keys = new Set(profile.samples.flatMap((s) => s.labels.map((l) => l.key)));
    expect([...keys].sort()).toEqual(['handler', 'tenant', ...labelKeys].sort());
    const handlers = new Set(profile.samples.map((s) => s.labels.find((l) => l.key === 'handler')?.str));
    expect(handlers.size).toBe(3);
  });

  it('inlines frames at about the fraction asked for, and never without asking', () => {
    const inlinedShare = (fraction: number) => {
      const p = syntheticProfile({ seed: 1, inlineFraction: fraction });
      return p.locations.filter((l) => l.lines.length === 2).length / p.locations.length;
    };
    expect(inlinedShare(0)).toBe(0);
    expect(inlinedShare(0.3)).toBeGreaterThan(0.15);
    expect(inlinedShare(0.3)).toBeLessThan(0.45);
  });

  it('builds Go-like stacks: rooted at runtime.goexit, deep, over several mappings', () => {
    const profile = syntheticProfile({ ...SYNTHETIC_PRESETS.medium, seed: 4 });
    const roots = new Set(profile.samples.map((s) => s.locations[s.locations.length - 1].lines.at(-1)?.fn.name));
    expect([...roots]).toEqual(['runtime.goexit']);
    const depths = profile.samples.map((s) => s.locations.length);
    expect(Math.max(...depths)).toBeGreaterThanOrEqual(20);
    expect(new Set(profile.locations.map((l) => l.mapping?.file)).size).toBeGreaterThanOrEqual(2);
    expect(profile.functions.some((f) => /^github\.com\/\w+\/\w+\/.+\.\(\*\w+\)\.\w+$/.test(f.name))).toBe(true);
  });

  it('sizes the medium preset at ~190 KB raw with over a thousand functions', () => {
    const profile = syntheticProfile({ ...SYNTHETIC_PRESETS.medium, seed: 5 });
    const bytes = encodeProfileRaw(profile).length;
    expect(bytes).toBeGreaterThan(160_000);
    expect(bytes).toBeLessThan(230_000);
    expect(profile.functions.length).toBeGreaterThan(1000);
  });

  it("gives the large preset issue #2's shape: thousands of functions, deep stacks, over ten thousand samples", () => {
    const profile = syntheticProfile({ ...SYNTHETIC_PRESETS.large, seed: 5 });
    expect(profile.samples.length).toBeGreaterThan(10_000);
    expect(profile.functions.length).toBeGreaterThan(2000);
    expect(Math.max(...profile.samples.map((s) => s.locations.length))).toBeGreaterThanOrEqual(30);
  });

  it('gives the huge preset over 50k distinct stacks', () => {
    expect(stackKeys(syntheticProfile({ ...SYNTHETIC_PRESETS.huge, seed: 1 })).size).toBeGreaterThan(50_000);
  }, 30_000);

  it('refuses shapes too small for the depth asked for', () => {
    expect(() => syntheticProfile({ seed: 1, functions: 100, maxDepth: 40 })).toThrow(/functions >= max\(64, 4 \* maxDepth\)/);
  });
});

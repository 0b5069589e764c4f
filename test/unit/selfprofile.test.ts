import { describe, expect, it } from 'vitest';
import { decodeProfile, formatSampleType, totals } from '../../lib/pprof';
import { serveSelfProfile } from '../../lib/selfprofile/http';

function burnCpu(ms: number): void {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x += Math.sqrt(x + 1);
}

describe("profd's own pprof endpoints", () => {
  it('serve a CPU profile that profd decodes, with samples from this process', async () => {
    const pending = serveSelfProfile('profile', new URLSearchParams('seconds=1'));
    const timer = setInterval(() => burnCpu(20), 25);
    const response = await pending.finally(() => clearInterval(timer));
    expect(response.status).toBe(200);
    const profile = decodeProfile(response.body as Uint8Array);
    expect(profile.sampleTypes.map(formatSampleType)).toContain('wall/nanoseconds');
    expect(profile.samples.length).toBeGreaterThan(0);
    const names = new Set(profile.functions.map((f) => f.name));
    expect(names.has('burnCpu')).toBe(true);
  });

  it('serve a heap profile that profd decodes', async () => {
    const response = await serveSelfProfile('heap', new URLSearchParams());
    expect(response.status).toBe(200);
    const profile = decodeProfile(response.body as Uint8Array);
    expect(profile.sampleTypes.map(formatSampleType)).toEqual(['inuse_objects/count', 'inuse_space/bytes']);
    expect(totals(profile)[1]).toBeGreaterThan(0);
  });

  it.each(['0', '-1', '2.5', 'ten', '301'])('refuse seconds=%s with a 400 naming the rule', async (seconds) => {
    const response = await serveSelfProfile('profile', new URLSearchParams({ seconds }));
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/seconds must be a whole number from 1 to 300/);
  });

  it('answer 409 to a second CPU profile while one runs', async () => {
    const first = serveSelfProfile('profile', new URLSearchParams('seconds=1'));
    const second = await serveSelfProfile('profile', new URLSearchParams('seconds=1'));
    expect(second.status).toBe(409);
    expect((await first).status).toBe(200);
  });
});

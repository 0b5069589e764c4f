import { describe, expect, it } from 'vitest';
import { GET } from '../../app/metrics/route';

describe('the web app /metrics', () => {
  it('serves Prometheus text with Node process metrics', async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^# TYPE process_cpu_seconds_total counter$/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
  });
});

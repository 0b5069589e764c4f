import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { profileDescriptor } from '../../lib/pprof/schema';

describe('pprof schema', () => {
  it('matches the official profile.proto field for field', () => {
    const protoText = readFileSync(new URL('../../lib/pprof/profile.proto', import.meta.url), 'utf8');
    const fromProto = protobuf.parse(protoText, { keepCase: false }).root.toJSON();
    const strip = (json: unknown) => JSON.parse(JSON.stringify(json, (key, value) => (key === 'options' || key === 'protoName' || key === 'edition' ? undefined : value)));
    expect(strip(profileDescriptor)).toEqual(strip(fromProto));
  });
});

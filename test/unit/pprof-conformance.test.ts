import { describe, expect, it } from 'vitest';
import { decodeProfile, isProfileError, top, totals, type Profile, type ProfileErrorCode } from '../../lib/pprof';
import { listFixtures, readExpected, readFixture, type ExpectedFacts } from '../helpers/fixtures';

/**
 * Every shared fixture against the facts `go tool pprof` printed for it (../shared/fixtures/pprof).
 * The post-merge facts (num_samples after merge, num_locations) belong to the merge tests.
 */

const fixtures = listFixtures().map((file) => ({ file, expected: readExpected(file) }));
const protobuf = fixtures.filter((f) => f.expected.wire !== null);
const notProtobuf = fixtures.filter((f) => f.expected.wire === null);

const decoded = new Map<string, Profile>();
function profile(file: string): Profile {
  let p = decoded.get(file);
  if (!p) decoded.set(file, (p = decodeProfile(readFixture(file))));
  return p;
}

function decodeError(file: string): unknown {
  try {
    decodeProfile(readFixture(file));
  } catch (err) {
    return err;
  }
  return undefined;
}

/**
 * What profd answers for a file that is not a protobuf Profile. pprof reads the legacy text and binary
 * formats; profd refuses them with `legacy_format` and a message naming the conversion command. The
 * fuzz input is a malformed legacy heapz file: pprof fails while parsing it, profd refuses it as legacy.
 */
function refusalCode(expected: ExpectedFacts): ProfileErrorCode {
  return expected.container.startsWith('empty file') ? 'empty' : 'legacy_format';
}

it('finds the fixtures', () => {
  expect(protobuf.length).toBeGreaterThanOrEqual(30);
  expect(notProtobuf.length).toBeGreaterThanOrEqual(10);
});

describe.each(notProtobuf)('$file (not protobuf)', ({ file, expected }) => {
  it(`is refused with a ProfileError (${refusalCode(expected)})`, () => {
    const error = decodeError(file);
    expect(isProfileError(error, refusalCode(expected))).toBe(true);
    if (refusalCode(expected) === 'legacy_format') expect((error as Error).message).toContain('go tool pprof -proto');
  });
});

describe.each(protobuf)('$file', ({ file, expected }) => {
  const raw = expected.raw!;
  const wire = expected.wire!;

  it('is read, as go tool pprof reads it', () => {
    expect(expected.accepted).toBe(true);
    expect(() => profile(file)).not.toThrow();
  });

  it('has the sample types, default type and period pprof reports', () => {
    const p = profile(file);
    expect(p.sampleTypes.map((t) => ({ type: t.type, unit: t.unit, isDefault: t.type === p.defaultSampleType }))).toEqual(raw.sampleTypes);
    const periodType = p.periodType && (p.periodType.type !== '' || p.periodType.unit !== '') ? p.periodType : null;
    expect(periodType).toEqual(raw.periodType);
    expect(p.period).toBe(raw.period);
  });

  it('holds every message of the file, unmerged', () => {
    const p = profile(file);
    expect({
      samples: p.samples.length,
      labels: p.samples.reduce((n, s) => n + s.labels.length, 0),
      locations: p.locations.length,
      functions: p.functions.length,
      mappings: p.mappings.length,
      comments: p.comments.length,
    }).toEqual({
      samples: wire.samples, labels: wire.labels, locations: wire.locations,
      functions: wire.functions, mappings: wire.mappings, comments: wire.comments,
    });
  });

  it('sums each sample type to the raw per-type totals', () => {
    expect(totals(profile(file))).toEqual(wire.sums);
    // pprof's -raw drops samples without locations (its merge does), so its sums agree only without them.
    if (wire.samplesWithoutLocations === 0) expect(totals(profile(file))).toEqual(raw.signedSums);
  });

  it.each(expected.tops.map((t) => ({ ...t, label: `${t.sampleIndex} (${raw.sampleTypes[t.sampleIndex].type})` })))(
    'gives pprof -top rows for sample index $label',
    (expectedTop) => {
      const result = top(profile(file), { sampleType: expectedTop.sampleIndex, limit: 5 });
      expect(result.items.map((i) => ({ flat: i.flat, cum: i.cum, name: i.name }))).toEqual(expectedTop.rows);
      expect(result.total).toBe(expectedTop.total);
      expect({ nodeCount: result.nodeCount, droppedNodes: result.droppedNodes, nodeCutoff: result.droppedNodes > 0 ? result.nodeCutoff : null })
        .toEqual({ nodeCount: expectedTop.nodeCount, droppedNodes: expectedTop.droppedNodes, nodeCutoff: expectedTop.nodeCutoff });
      expect(result.items.reduce((sum, i) => sum + i.flat, 0)).toBe(expectedTop.shown);
    },
  );
});

describe('where profd differs from pprof on purpose', () => {
  it('keeps a profile without mappings mapping-less (pprof invents a fake mapping; it has no file, so names agree)', () => {
    const p = profile('google-pprof__go.nomappings.crash');
    expect(p.mappings).toEqual([]);
    expect(p.locations.every((l) => l.mapping === null)).toBe(true);
    expect(readExpected('google-pprof__go.nomappings.crash').raw!.numMappings).toBe(1);
    expect(top(p, { sampleType: 1 }).items).toEqual([{ name: '<unknown>', flat: 1765955, cum: 1765955 }]);
  });
});

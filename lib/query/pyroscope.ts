/**
 * Pyroscope's push API (`POST /ingest`) mapped onto profd's ingest: pprof bodies, raw or in the
 * multipart form Pyroscope's SDKs send, and folded stacks with the type and unit the query says.
 * CPU-like folded samples become Go's CPU layout (samples/count and cpu/nanoseconds, period from
 * `sampleRate`), so they merge with scraped Go CPU profiles.
 */
import { ApiError } from '../api/errors';
import type { IngestItem } from '../db';
import { decodeProfile, encodeProfile, parseFolded, type Profile, type Sample } from '../pprof';
import { utf8 } from './ingest';
import { parsePyroscopeName, pprofProfileType, PYROSCOPE_TYPES, pyroscopeLabels } from './pyroscope-name';

/** The query parameters of a push, validated (lib/api/route-params.ts). */
export interface PyroscopePush {
  readonly name: string;
  readonly fromMs: number;
  readonly untilMs: number;
  readonly format: 'pprof' | 'folded';
  readonly sampleRate: number;
  readonly spyName?: string;
  readonly units?: string;
}

/** Pyroscope's unit names and the pprof unit of each. */
const PYROSCOPE_UNITS: Readonly<Record<string, string>> = {
  samples: 'count',
  objects: 'count',
  goroutines: 'count',
  lock_samples: 'count',
  bytes: 'bytes',
  lock_nanoseconds: 'nanoseconds',
};

const TIME_TYPES = new Set(['cpu', 'itimer', 'wall']);

/** The profile a push carries, as an item for `writeProfiles`; `body` is the multipart part or the whole body. */
export function pyroscopeItem(push: PyroscopePush, body: PushBody, maxBytes: number): IngestItem {
  const name = parsePyroscopeName(push.name);
  const item = (profileType: string, profile: Profile, blob: Uint8Array): IngestItem =>
    ({ labels: pyroscopeLabels(name, profileType, push.spyName), timestampMs: push.fromMs, blob, profile });
  if (push.format === 'folded') {
    const type = name.type ?? 'cpu';
    const folded = foldedProfile(utf8(body.profile), type, push);
    return item(PYROSCOPE_TYPES[type], folded, encodeProfile(folded));
  }
  const decoded = decodeProfile(body.profile, { maxBytes });
  const types = decoded.sampleTypes.map((t) => t.type);
  return item(name.type ? PYROSCOPE_TYPES[name.type] : pprofProfileType(types, body.sampleTypeNames), decoded, body.profile);
}

/** The units Pyroscope's clients mean when they name a type but no units. */
function defaultUnits(type: string): string {
  if (type.endsWith('_space')) return 'bytes';
  if (type.endsWith('_objects')) return 'objects';
  if (type.endsWith('_duration')) return 'lock_nanoseconds';
  return type === 'goroutines' ? 'goroutines' : 'samples';
}

/** Folded stacks as a profile of the pushed type, timed from `from` to `until`. */
function foldedProfile(text: string, type: string, push: PyroscopePush): Profile {
  const units = push.units ?? defaultUnits(type);
  const unit = PYROSCOPE_UNITS[units];
  if (unit === undefined) {
    throw new ApiError('bad_data', `units: ${JSON.stringify(units)} is not one of ${Object.keys(PYROSCOPE_UNITS).join(', ')}`);
  }
  const durationNanos = (push.untilMs - push.fromMs) * 1e6;
  const timeNanos = BigInt(push.fromMs) * 1_000_000n;
  if (!(TIME_TYPES.has(type) && units === 'samples')) {
    return { ...parseFolded(text, { sampleType: type, unit }), timeNanos, durationNanos };
  }
  const counted = parseFolded(text, { sampleType: 'samples', unit: 'count' });
  const period = Math.round(1e9 / push.sampleRate);
  const timeType = { type: type === 'wall' ? 'wall' : 'cpu', unit: 'nanoseconds' };
  const samples: Sample[] = counted.samples.map((s) => ({ ...s, values: [s.values[0], s.values[0] * period] }));
  return { ...counted, sampleTypes: [counted.sampleTypes[0], timeType], samples, periodType: timeType, period, timeNanos, durationNanos };
}

/** A push body taken apart: the profile's bytes and the display names its `sample_type_config` gives. */
export interface PushBody {
  readonly profile: Uint8Array;
  readonly sampleTypeNames: string[];
}

/**
 * Takes a push body apart. Pyroscope's SDKs send multipart/form-data with a `profile` part and, for
 * Go, a `sample_type_config` JSON part; other clients send the profile as the whole body.
 */
export async function pushBody(body: Uint8Array, contentType: string | null): Promise<PushBody> {
  if (!isMultipart(contentType)) return { profile: body, sampleTypeNames: [] };
  // The platform's multipart parser reads from a Response; request bodies are plain ArrayBuffers.
  const form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } })
    .formData()
    .catch(() => {
      throw new ApiError('bad_data', 'the multipart body cannot be read: check its boundary and parts');
    });
  if (form.has('prev_profile')) {
    throw new ApiError(
      'bad_data',
      'prev_profile (cumulative profiles of pyroscope-go before 1.0) is not supported: upgrade the SDK, whose delta profiles need no base',
    );
  }
  const part = form.get('profile');
  if (!(part instanceof Blob)) throw new ApiError('bad_data', 'the multipart body has no "profile" file part');
  const config = form.get('sample_type_config');
  const configText = config instanceof Blob ? await config.text() : config;
  return { profile: new Uint8Array(await part.arrayBuffer()), sampleTypeNames: displayNames(configText) };
}

/** True for the multipart/form-data bodies of Pyroscope's SDKs. */
export function isMultipart(contentType: string | null): contentType is string {
  return contentType?.toLowerCase().startsWith('multipart/form-data') ?? false;
}

/** The display names in a `sample_type_config` ({"contentions": {"display-name": "block_count"}, …}). */
function displayNames(config: string | null): string[] {
  if (config === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(config);
  } catch {
    throw new ApiError('bad_data', 'sample_type_config is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  return Object.values(parsed).map((entry) => String((entry as Record<string, unknown> | null)?.['display-name'] ?? ''));
}

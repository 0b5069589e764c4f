/**
 * How Pyroscope's push API names a profile, and the profd labels it maps to. Pyroscope's `name` is
 * `APP[.TYPE]{tag=value,…}`: the application (becomes `service_name`), optionally a profile-type
 * suffix such as `.cpu` or `.alloc_space`, and tags (become labels as they are). `__name__` is profd's
 * profile type, named as the worker names scraped Go profiles (`profile`, `heap`, `goroutine`, `mutex`,
 * `block`), so one selector finds pushed and scraped profiles of a service alike.
 */
import { ApiError } from '../api/errors';
import { NAME_LABEL, type Labels } from '../selector';

/** The parts of a Pyroscope application name. */
export interface PyroscopeName {
  readonly service: string;
  /** The Pyroscope profile type the name ends in (`cpu`, `alloc_space`…), if any. */
  readonly type: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

/** Pyroscope's profile-type suffixes and the profd profile type each belongs to. */
export const PYROSCOPE_TYPES: Readonly<Record<string, string>> = {
  cpu: 'profile',
  itimer: 'profile',
  wall: 'wall',
  alloc_objects: 'heap',
  alloc_space: 'heap',
  inuse_objects: 'heap',
  inuse_space: 'heap',
  goroutines: 'goroutine',
  mutex_count: 'mutex',
  mutex_duration: 'mutex',
  lock_count: 'mutex',
  lock_duration: 'mutex',
  block_count: 'block',
  block_duration: 'block',
  exceptions: 'exceptions',
};

const NAME = /^([^{}]+)(?:\{([^{}]*)\})?$/;
const SERVICE_LABEL = 'service_name';
const SPY_LABEL = 'pyroscope_spy';

/** Reads `APP[.TYPE]{tag=value,…}`; a `bad_data` error names what is malformed. */
export function parsePyroscopeName(text: string): PyroscopeName {
  const match = NAME.exec(text.trim());
  if (!match) throw new ApiError('bad_data', `name: ${JSON.stringify(text)} is not APP{tag=value,…}, e.g. my.app.cpu{env=staging}`);
  const app = match[1].trim();
  const dot = app.lastIndexOf('.');
  const suffix = dot > 0 ? app.slice(dot + 1) : '';
  const type = suffix in PYROSCOPE_TYPES ? suffix : undefined;
  return { service: type ? app.slice(0, dot) : app, type, tags: parseTags(match[2] ?? '') };
}

function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) throw new ApiError('bad_data', `name: tag ${JSON.stringify(pair.trim())} has no value; write tag=value`);
    const [key, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
    if (key === NAME_LABEL || key === SERVICE_LABEL) {
      throw new ApiError('bad_data', `name: tag ${key} is set from the name itself (the application and its .TYPE suffix)`);
    }
    tags[key] = value;
  }
  return tags;
}

/** The label set of a pushed profile: its tags, `service_name`, `__name__`, and the SDK's spy name if given. */
export function pyroscopeLabels(name: PyroscopeName, profileType: string, spyName: string | undefined): Labels {
  return { ...name.tags, [SERVICE_LABEL]: name.service, [NAME_LABEL]: profileType, ...(spyName ? { [SPY_LABEL]: spyName } : {}) };
}

/**
 * The profd profile type of a pprof push whose name has no type suffix (Pyroscope's Go SDK sends
 * none), from its sample types; mutex and block profiles share theirs, so the SDK's
 * `sample_type_config` display names (`block_count`…) tell them apart.
 */
export function pprofProfileType(sampleTypes: readonly string[], displayNames: readonly string[]): string {
  const has = (type: string) => sampleTypes.includes(type);
  if (has('cpu')) return 'profile';
  if (has('wall')) return 'wall';
  if (has('inuse_space') || has('alloc_space')) return 'heap';
  if (has('goroutine') || has('goroutines')) return 'goroutine';
  if (has('contentions') || has('delay')) return displayNames.some((n) => n.startsWith('block')) ? 'block' : 'mutex';
  const suffixes = Object.keys(PYROSCOPE_TYPES).map((type) => `.${type}`).join(', ');
  throw new ApiError('bad_data', `name: cannot tell the profile type of sample types [${sampleTypes.join(' ')}]; end the name in one of ${suffixes}`);
}

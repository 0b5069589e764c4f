/** lib/pprof: decode, validate, encode and analyse pprof profiles. Pure: no I/O beyond the bytes given. */
export * from './model';
export * from './errors';
export { decodeProfile, type DecodeOptions } from './decode';
export { encodeProfile, encodeProfileRaw } from './encode';
export { isGzip, unwrapProfileBytes, DEFAULT_MAX_PROFILE_BYTES } from './container';
export { formatSampleType, defaultSampleIndex, sampleIndex, totals } from './sample-types';

/** lib/pprof: decode, validate, encode and analyse pprof profiles. Pure: no I/O beyond the bytes given. */
export * from './model';
export * from './errors';
export { decodeProfile, type DecodeOptions } from './decode';
export { encodeProfile, encodeProfileAsync, encodeProfileRaw } from './encode';
export { isGzip, unwrapProfileBytes, DEFAULT_MAX_PROFILE_BYTES } from './container';
export { formatSampleType, defaultSampleIndex, sampleIndex, totals } from './sample-types';
export { top, reportTotal, type TopOptions, type TopItem, type TopResult } from './top';
export { FrameTable, type Frame } from './frames';
export { scaleValue, formatValue, formatPercent, tableUnit, type ScaledValue } from './units';
export { mergeProfiles, diffProfiles, ProfileMerger } from './merge';
export { scaleProfile, selectSampleTypes } from './scale';
export { buildCallTree, type CallTree, type CallTreeOptions } from './calltree';
export { buildDiffCallTree, type DiffCallTree } from './calltree-diff';
export { toFolded, callTreeToFolded, parseFolded, type FoldedOptions } from './folded';

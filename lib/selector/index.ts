export { SelectorError } from './errors';
export * from './labels';
export { labelSetSchema } from './label-set-schema';
export { matcherRegex, matchesLabels, matchesValue } from './match';
export type { LabelMatcher, Labels, MatchType } from './matcher';
export { parseSelector } from './parse';
export { printSelector } from './print';
export { compileLabelRegex } from './regex';

/** lib/relabel: Prometheus target relabeling — rule config, anchored regexes and the relabel function. */
export { relabel } from './relabel';
export { relabelConfigSchema, isLabelName, RELABEL_ACTIONS, type RelabelAction, type RelabelRule } from './config';
export { compileRelabelRegex, expandTemplate, type RelabelRegex } from './regex';

/** lib/relabel: Prometheus target relabeling — rule config, replacement templates and the relabel function. */
export { relabel } from './relabel';
export { relabelConfigSchema, RELABEL_ACTIONS, type RelabelAction, type RelabelRule } from './config';
export { expandTemplate } from './template';

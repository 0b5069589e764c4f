import { createHash } from 'node:crypto';
import { hasLabelNameSyntax } from '../selector/labels';
import type { Labels } from '../selector/matcher';
import type { RelabelRule } from './config';
import { expandTemplate } from './template';

/**
 * Applies relabel rules in order with Prometheus' semantics (model/relabel/relabel.go) and returns the
 * new label set, or null when a rule drops it. A label set to "" is removed, as in Prometheus.
 */
export function relabel(labels: Labels, rules: readonly RelabelRule[]): Labels | null {
  const current = new Map(Object.entries(labels));
  for (const rule of rules) {
    if (!applyRule(rule, current)) return null;
  }
  return Object.fromEntries(current);
}

function set(labels: Map<string, string>, name: string, value: string): void {
  if (value === '') labels.delete(name);
  else labels.set(name, value);
}

/** Applies one rule in place; false means the label set is dropped. */
function applyRule(rule: RelabelRule, labels: Map<string, string>): boolean {
  const value = rule.sourceLabels.map((name) => labels.get(name) ?? '').join(rule.separator);
  const re = rule.regex;
  switch (rule.action) {
    case 'drop':
      return !re.test(value);
    case 'keep':
      return re.test(value);
    case 'dropequal':
      return (labels.get(rule.targetLabel) ?? '') !== value;
    case 'keepequal':
      return (labels.get(rule.targetLabel) ?? '') === value;
    case 'replace':
      replace(rule, value, labels);
      return true;
    case 'lowercase':
      set(labels, rule.targetLabel, value.toLowerCase());
      return true;
    case 'uppercase':
      set(labels, rule.targetLabel, value.toUpperCase());
      return true;
    case 'hashmod':
      set(labels, rule.targetLabel, hashMod(value, rule.modulus));
      return true;
    case 'labelmap':
      for (const [name, v] of [...labels]) {
        const match = re.exec(name);
        const mapped = match ? expandTemplate(rule.replacement, match) : '';
        if (hasLabelNameSyntax(mapped)) set(labels, mapped, v);
      }
      return true;
    case 'labeldrop':
    case 'labelkeep':
      for (const name of [...labels.keys()]) {
        if (re.test(name) === (rule.action === 'labeldrop')) labels.delete(name);
      }
      return true;
  }
}

function replace(rule: RelabelRule, value: string, labels: Map<string, string>): void {
  const match = rule.regex.exec(value);
  if (!match) return;
  const target = expandTemplate(rule.targetLabel, match);
  if (!hasLabelNameSyntax(target)) return;
  set(labels, target, expandTemplate(rule.replacement, match));
}

/** The last 8 bytes of the md5 of `value`, big-endian, modulo `modulus`: Prometheus' hashmod, bit for bit. */
function hashMod(value: string, modulus: number): string {
  const digest = createHash('md5').update(value, 'utf8').digest();
  return (digest.readBigUInt64BE(8) % BigInt(modulus)).toString();
}

import { z } from 'zod';
import { hasLabelNameSyntax } from '../selector/labels';
import { compileLabelRegex } from '../selector/regex';

/** The eleven Prometheus relabel actions. */
export const RELABEL_ACTIONS = [
  'replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod',
  'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase',
] as const;

/** One relabel action. */
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** A relabel rule ready to apply: defaults filled in, regex compiled. */
export interface RelabelRule {
  readonly action: RelabelAction;
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  /** Anchored as Prometheus does, `^(?s:regex)$`. */
  readonly regex: RegExp;
  readonly modulus: number;
  readonly targetLabel: string;
  readonly replacement: string;
}

// A target label that holds `$1`-style references (Prometheus' relabelTarget).
const TEMPLATED_LABEL = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

const DEFAULT_REGEX = '(.*)';
const DEFAULT_SEPARATOR = ';';
const DEFAULT_REPLACEMENT = '$1';

/** The YAML shape of one `relabel_configs` entry, validated as Prometheus' `relabel.Config.Validate`. */
export const relabelConfigSchema = z
  .strictObject({
    source_labels: z.array(z.string().refine(hasLabelNameSyntax, 'not a valid label name')).optional(),
    separator: z.string().optional(),
    regex: z.string().optional(),
    modulus: z.number().int().positive().optional(),
    target_label: z.string().optional(),
    replacement: z.string().optional(),
    action: z
      .string()
      .transform((a) => a.toLowerCase())
      .pipe(z.enum(RELABEL_ACTIONS, { error: `unknown relabel action (valid: ${RELABEL_ACTIONS.join(', ')})` }))
      .optional(),
  })
  .transform((raw, ctx): RelabelRule => {
    const rule: RelabelRule = {
      action: raw.action ?? 'replace',
      sourceLabels: raw.source_labels ?? [],
      separator: raw.separator ?? DEFAULT_SEPARATOR,
      regex: compileOrReport(raw.regex ?? DEFAULT_REGEX, ctx),
      modulus: raw.modulus ?? 0,
      targetLabel: raw.target_label ?? '',
      replacement: raw.replacement ?? DEFAULT_REPLACEMENT,
    };
    const problem = ruleProblem(rule, raw);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: raw });
    return rule;
  });

function compileOrReport(source: string, ctx: z.RefinementCtx): RegExp {
  try {
    return compileLabelRegex(source);
  } catch (err) {
    const message = `regex ${JSON.stringify(source)} does not compile: ${(err as Error).message}`;
    ctx.issues.push({ code: 'custom', message, input: source, path: ['regex'] });
    return compileLabelRegex(DEFAULT_REGEX);
  }
}

type RawRule = { source_labels?: unknown; regex?: unknown };

/** The first rule Prometheus would refuse this config for, or null. */
function ruleProblem(rule: RelabelRule, raw: RawRule): string | null {
  const { action, targetLabel } = rule;
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action);
  if (needsTarget && targetLabel === '') return `the ${action} action needs a target_label`;
  if (action === 'hashmod' && rule.modulus === 0) return 'the hashmod action needs a modulus above 0';
  if (action === 'replace' && !(targetLabel.includes('$') ? TEMPLATED_LABEL.test(targetLabel) : hasLabelNameSyntax(targetLabel))) {
    return `target_label ${JSON.stringify(targetLabel)} is not a valid label name`;
  }
  if (needsTarget && action !== 'replace' && !hasLabelNameSyntax(targetLabel)) {
    return `target_label ${JSON.stringify(targetLabel)} is not a valid label name for the ${action} action`;
  }
  if (action === 'labelmap' && !TEMPLATED_LABEL.test(rule.replacement)) {
    return `replacement ${JSON.stringify(rule.replacement)} is not a valid label name for the labelmap action`;
  }
  const customised = rule.modulus !== 0 || rule.separator !== DEFAULT_SEPARATOR || rule.replacement !== DEFAULT_REPLACEMENT;
  if (['lowercase', 'uppercase'].includes(action) && rule.replacement !== DEFAULT_REPLACEMENT) {
    return `replacement cannot be set for the ${action} action`;
  }
  if (['keepequal', 'dropequal'].includes(action) && (raw.regex !== undefined || customised)) {
    return `the ${action} action takes only source_labels and target_label`;
  }
  if (['labeldrop', 'labelkeep'].includes(action) && (raw.source_labels !== undefined || targetLabel !== '' || customised)) {
    return `the ${action} action takes only regex`;
  }
  return null;
}

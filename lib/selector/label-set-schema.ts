/**
 * The label naming rules as a zod schema, for input from outside (the ingest API). Kept apart from
 * ./labels so that the browser, which needs the rules but not zod, does not download zod.
 */
import { z } from 'zod';
import { labelNameProblem, labelValueProblem } from './labels';

/** Zod schema for a label set from outside (ingest API, config): one issue per bad label, at its name. */
export const labelSetSchema = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const [name, value] of Object.entries(labels)) {
    const problem = labelNameProblem(name) ?? labelValueProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [name] });
  }
});

import type { z } from 'zod';

/** One thing wrong with a config, at a path into the YAML such as `['scrape_configs', 2, 'scrape_timeout']`. */
export interface ConfigProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * A config file that cannot be used. `problems` holds one line per problem, each naming where it is
 * (`scrape_configs[2] (job "api").scrape_timeout: …`) so the user can fix them all in one pass.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid config ${source}:\n  ${problems.join('\n  ')}`);
  }
}

/** Turns zod's issues into problems, with unknown keys reported at their own path. */
export function problemsFromZod(error: z.ZodError): ConfigProblem[] {
  return error.issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...issue.path, key], message: 'unknown field (check its spelling and indentation)' }));
    }
    if (issue.code === 'invalid_key') {
      return [{ path: issue.path, message: `invalid name: ${issue.issues.map((i) => i.message).join('; ')}` }];
    }
    return [{ path: issue.path, message: issue.message }];
  });
}

/**
 * Formats a problem for people: `scrape_configs[0] (job "api").profiling_config.pprof_config.heap.path: …`.
 * `raw` is the parsed YAML, used to name the job each `scrape_configs[i]` is.
 */
export function formatProblem(problem: ConfigProblem, raw: unknown): string {
  let text = '';
  let node: unknown = raw;
  for (const key of problem.path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[a-zA-Z_][\w]*$/.test(key)) text += `${text ? '.' : ''}${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
    node = isRecord(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[key as string] : undefined;
    if (typeof key === 'number' && isRecord(node) && typeof node.job_name === 'string') text += ` (job ${JSON.stringify(node.job_name)})`;
  }
  return text ? `${text}: ${problem.message}` : problem.message;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

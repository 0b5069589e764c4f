import { describe, expect, it } from 'vitest';
import {
  isValidLabelName,
  isValidLabelValue,
  labelNameProblem,
  labelSetSchema,
  labelValueProblem,
  MAX_LABEL_VALUE_BYTES,
} from '../../lib/selector';

describe('label names', () => {
  it.each<[string, string | undefined]>([
    ['job', undefined],
    ['_private', undefined],
    ['__name__', undefined],
    ['Job_2', undefined],
    ['', 'label name is empty'],
    ['2job', 'is not valid: use letters, digits and _'],
    ['job-name', 'is not valid'],
    ['job.name', 'is not valid'],
    ['jöb', 'is not valid'],
    ['__address__', 'is reserved: names starting with __ are internal'],
    ['a'.repeat(129), 'longer than 128 characters'],
  ])('%j', (name, problem) => {
    if (problem === undefined) {
      expect(labelNameProblem(name)).toBeUndefined();
      expect(isValidLabelName(name)).toBe(true);
    } else {
      expect(labelNameProblem(name)).toContain(problem);
      expect(isValidLabelName(name)).toBe(false);
    }
  });
});

describe('label values', () => {
  it.each<[string, string | undefined]>([
    ['api', undefined],
    ['', undefined],
    ["'; DROP TABLE series; --", undefined],
    ['é😀', undefined],
    ['a'.repeat(MAX_LABEL_VALUE_BYTES), undefined],
    ['a'.repeat(MAX_LABEL_VALUE_BYTES + 1), `is ${MAX_LABEL_VALUE_BYTES + 1} bytes long; the limit is ${MAX_LABEL_VALUE_BYTES}`],
    ['é'.repeat(MAX_LABEL_VALUE_BYTES / 2 + 1), 'bytes long'],
    ['a\0b', 'contains a NUL character'],
    ['a\uD800b', 'unpaired surrogate'],
  ])('%j', (value, problem) => {
    if (problem === undefined) {
      expect(labelValueProblem(value)).toBeUndefined();
      expect(isValidLabelValue(value)).toBe(true);
    } else {
      expect(labelValueProblem(value)).toContain(problem);
      expect(isValidLabelValue(value)).toBe(false);
    }
  });
});

describe('label sets', () => {
  it('the schema reports every bad label at its name', () => {
    const result = labelSetSchema.safeParse({ job: 'api', '2x': 'a', __secret__: 'b', env: 'a\0' });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues).toEqual([
      ['2x', expect.stringContaining('is not valid')],
      ['__secret__', expect.stringContaining('is reserved')],
      ['env', expect.stringContaining('NUL')],
    ]);
  });

  it('the schema accepts a good set as is', () => {
    expect(labelSetSchema.parse({ __name__: 'heap', job: 'api' })).toEqual({ __name__: 'heap', job: 'api' });
  });
});

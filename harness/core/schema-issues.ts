/**
 * How a zod issue reads in the harness's own errors, for every file it validates (drill plans,
 * system manifests): the field's path (`method[1].for`, `(top)` for the file itself) and, for
 * type mismatches the field's schema does not phrase, "is required" or "must be a list".
 */
import type { z } from 'zod';

/** The field an issue is about: `a.b[2].c`, the unknown key included; `(top)` for the file itself. */
export function issuePath(issue: z.core.$ZodIssue): string {
  const keys = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  const text = keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('');
  return text || '(top)';
}

/** Messages for the issues a field's own schema does not phrase (pass as `safeParse`'s `error`). */
export function genericIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'is required';
  const expected: Record<string, string> = {
    array: 'a list',
    object: 'a mapping',
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
  };
  return `must be ${expected[issue.expected] ?? issue.expected}`;
}

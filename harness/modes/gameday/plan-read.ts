/**
 * Reads a drill plan (YAML or JSON) through its schema (plan-schema.ts) into a `GamedayPlan`. Every
 * mistake is a usage error (exit 64, nothing started) with one line per problem naming the file,
 * the field's path (`method[1].for`) and why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../core/errors.ts';
import { genericIssueMessage, issuePath } from '../../core/schema-issues.ts';
import { planSchema, type PlanRules } from './plan-schema.ts';
import type { GamedayPlan } from './plan-types.ts';

const HINT = 'see scenarios/gamedays/README.md for the plan format';

/** Reads `file` and validates it; a usage error on any mistake. */
export function readPlan(file: string, rules: PlanRules): GamedayPlan {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read the plan: ${(error as Error).message}`);
  }
  return parsePlan(text, file, rules);
}

/** Parses and validates a plan's text; action scripts are looked for beside `file`. */
export function parsePlan(text: string, file: string, rules: PlanRules): GamedayPlan {
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true });
  } catch (error) {
    throw new UsageError(`${file}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(`${file}: a plan must be a mapping`, HINT);
  const parsed = planSchema({ dir: path.dirname(file), ...rules }).safeParse(raw, { error: genericIssueMessage });
  if (!parsed.success)
    throw new UsageError(parsed.error.issues.map((i) => `${file}: ${issuePath(i)}: ${i.message}`).join('\n'), HINT);
  return { ...parsed.data, file };
}

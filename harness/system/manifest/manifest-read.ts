/**
 * Reads a system manifest (YAML or JSON) through its schema (manifest-schema.ts). Every mistake is a
 * usage error (exit 64, nothing started), one line per problem: `file: field: why`.
 */
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../core/errors.ts';
import { genericIssueMessage, issuePath } from '../../core/schema-issues.ts';
import { manifestSchema, type Manifest } from './manifest-schema.ts';

const HINT = 'see docs/your-system.md for the manifest format';

/** Reads `file` and validates it; a usage error on any mistake. */
export function readManifest(file: string): Manifest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read the system manifest: ${(error as Error).message}`);
  }
  return parseManifest(text, file);
}

/** Parses and validates a manifest's text (`file` names it in errors). */
export function parseManifest(text: string, file: string): Manifest {
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true, merge: true });
  } catch (error) {
    throw new UsageError(`${file}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`, HINT);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(`${file}: a system manifest must be a mapping`, HINT);
  const parsed = manifestSchema.safeParse(raw, { error: genericIssueMessage });
  if (!parsed.success)
    throw new UsageError(parsed.error.issues.map((i) => `${file}: ${issuePath(i)}: ${i.message}`).join('\n'), HINT);
  return parsed.data;
}

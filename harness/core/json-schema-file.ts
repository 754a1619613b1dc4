/**
 * JSON Schema files the harness writes from its zod schemas (drill plans, system manifests): each
 * formatted as the repository formats JSON, so a test can hold the committed file to the code and
 * `npm run schemas` rewrites only what changed.
 */
import fs from 'node:fs';
import prettier from 'prettier';

/** `value` as `file` should read. */
export async function formattedJson(file: string, value: unknown): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(value), { ...options, filepath: file });
}

/** Writes `expected` to `file` when it differs; says which it was. */
export function writeIfChanged(file: string, expected: string): 'up to date' | 'rewritten' {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current === expected) return 'up to date';
  fs.writeFileSync(file, expected);
  return 'rewritten';
}

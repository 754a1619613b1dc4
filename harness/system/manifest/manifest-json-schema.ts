/**
 * The system manifest's JSON Schema, written from the zod schema (manifest-schema.ts) to
 * `examples/system.schema.json`, so an editor checks a manifest as it is typed (the examples name
 * it on their first line). The cross-field rules stay the harness's: it reports them on read.
 */
import path from 'node:path';
import { z } from 'zod';
import { formattedJson } from '../../core/json-schema-file.ts';
import { PACKAGE_ROOT } from '../../env/paths.ts';
import { manifestSchema } from './manifest-schema.ts';

export const MANIFEST_SCHEMA_FILE = path.join(PACKAGE_ROOT, 'examples/system.schema.json');

/** The JSON Schema of a manifest, as an object. */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(manifestSchema, { io: 'input' }),
    title: 'cpqchaos system manifest (docs/your-system.md)',
  };
}

/** The schema file as it should read. */
export function expectedManifestSchemaFile(): Promise<string> {
  return formattedJson(MANIFEST_SCHEMA_FILE, manifestJsonSchema());
}

/**
 * `npm run schemas`: rewrites the JSON Schema files written from the zod schemas — drill plans
 * (`scenarios/gamedays/plan.schema.json`) and system manifests (`examples/system.schema.json`) —
 * where they differ from the code. Tests fail while a committed file is stale.
 */
import path from 'node:path';
import { writeIfChanged } from '../core/json-schema-file.ts';
import { PACKAGE_ROOT } from '../env/paths.ts';
import { expectedPlanSchemaFile, PLAN_SCHEMA_FILE } from '../modes/gameday/plan-json-schema.ts';
import { expectedManifestSchemaFile, MANIFEST_SCHEMA_FILE } from '../system/manifest/manifest-json-schema.ts';

for (const [file, expected] of [
  [PLAN_SCHEMA_FILE, expectedPlanSchemaFile],
  [MANIFEST_SCHEMA_FILE, expectedManifestSchemaFile],
] as const)
  process.stdout.write(`${path.relative(PACKAGE_ROOT, file)} ${writeIfChanged(file, await expected())}\n`);

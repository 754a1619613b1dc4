/**
 * The drill plan's JSON Schema, written from the zod schema (plan-schema.ts) with the fault catalog
 * and the reference system's metrics, to `scenarios/gamedays/plan.schema.json`. Built-in plans name
 * it on their first line (`# yaml-language-server: $schema=./plan.schema.json`) so an editor checks
 * a plan as it is typed; the cross-field rules stay the harness's (it reports them on read).
 * `npm run schemas` rewrites it; a test fails when the file differs from the code.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { formattedJson } from '../../core/json-schema-file.ts';
import { faultCatalog } from '../../faults/catalog.ts';
import { referenceSystem } from '../../system/reference-system.ts';
import { planSchema } from './plan-schema.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const PLAN_SCHEMA_FILE = path.join(ROOT, 'scenarios/gamedays/plan.schema.json');

/** The JSON Schema of a plan, as an object. */
export function planJsonSchema(): Record<string, unknown> {
  const schema = planSchema({ faults: [...faultCatalog().keys()], metrics: referenceSystem.metrics });
  const json = z.toJSONSchema(schema, {
    io: 'input',
    override: ({ jsonSchema }) => {
      const key = (jsonSchema as { shorthand?: string }).shorthand;
      if (key === undefined) return;
      const mapping = { ...jsonSchema };
      delete (mapping as { shorthand?: string }).shorthand;
      for (const k of Object.keys(jsonSchema)) delete (jsonSchema as Record<string, unknown>)[k];
      Object.assign(jsonSchema, {
        anyOf: [{ type: 'string', minLength: 1, description: `short for { ${key}: … }` }, mapping],
      });
    },
  });
  return { ...json, title: 'cpqchaos game-day plan (scenarios/gamedays/README.md)' };
}

/** The schema file as it should read (formatted as the repository formats JSON). */
export function expectedPlanSchemaFile(): Promise<string> {
  return formattedJson(PLAN_SCHEMA_FILE, planJsonSchema());
}

// Unit: the plans' JSON Schema — the committed file is the one the zod schema writes (npm run
// schemas), every built-in plan names it and passes it, and it refuses what an editor should flag.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { expectedPlanSchemaFile, PLAN_SCHEMA_FILE } from './plan-json-schema.ts';

const DIR = path.dirname(PLAN_SCHEMA_FILE);
const PLANS = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
  JSON.parse(fs.readFileSync(PLAN_SCHEMA_FILE, 'utf8')) as object,
);
const plan = (file: string) => parseYaml(fs.readFileSync(path.join(DIR, file), 'utf8')) as Record<string, unknown>;

describe('the plans’ JSON Schema', () => {
  it('is the one the schema writes (npm run schemas rewrites it)', async () => {
    expect(fs.readFileSync(PLAN_SCHEMA_FILE, 'utf8'), 'run npm run schemas').toBe(await expectedPlanSchemaFile());
  });

  it('is named by every built-in plan, and every built-in plan passes it', () => {
    expect(PLANS.length).toBe(7);
    for (const file of PLANS) {
      expect(fs.readFileSync(path.join(DIR, file), 'utf8').split('\n')[0], file).toBe(
        '# yaml-language-server: $schema=./plan.schema.json',
      );
      expect(validate(plan(file)), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('flags a wrong type, an unknown key, a bad duration, an unknown fault and a bad shorthand', () => {
    const base = plan('redis-outage.yaml');
    const method = base.method as Record<string, unknown>[];
    const runbook = base.runbook as Record<string, unknown>;
    const bad: Record<string, unknown>[] = [
      { ...base, title: 3 },
      { ...base, colour: 'red' },
      { ...base, method: [{ ...method[0], for: 'forty' }] },
      { ...base, method: [{ ...method[0], fault: 'kafka-flood' }] },
      { ...base, runbook: { ...runbook, diagnosis: [3] } },
    ];
    for (const b of bad) expect(validate(b), JSON.stringify(b).slice(0, 80)).toBe(false);
    expect(validate({ ...base, runbook: { ...runbook, diagnosis: ['a plain step'] } })).toBe(true);
  });
});

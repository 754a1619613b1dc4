/** The failure database: append and read back, repeats dropped, a bad line a usage error naming file and line. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { PACKAGE_ROOT } from '../../env/paths.ts';
import {
  counterexampleScenario,
  FAILURE_FILES,
  readCounterexamples,
  recordCounterexample,
  type RecordedCounterexample,
} from './failure-db.ts';

const entry: RecordedCounterexample = {
  id: '2-23.9',
  date: '2026-11-25T23:49:37.676Z',
  seed: 2,
  path: '23:9',
  family: 'cache',
  maxSteps: 12,
  bugs: ['submit-trusts-cache'],
  steps: [
    { kind: 'create-quote', tenant: 1, offering: 'router', quantity: 1, discountPct: 0, upTo: 'priced' },
    { kind: 'publish', tenant: 1, domain: 'pricing' },
    { kind: 'quote', quote: 0, action: 'submit' },
  ],
  checker: 'no-stale-submit',
  anomaly: 'stale-submit: …',
};
const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-db-'));

describe('failure database', () => {
  it('reads back what was recorded, once per step list, across files; a missing file holds none', () => {
    const d = dir();
    const local = path.join(d, '.cpqchaos', 'explore-failures.jsonl');
    const committed = path.join(d, 'counterexamples.jsonl');
    recordCounterexample(entry, local);
    recordCounterexample({ ...entry, id: 'again' }, local);
    fs.writeFileSync(committed, `${JSON.stringify({ ...entry, id: 'other', family: 'messaging' })}\n\n`);
    const read = readCounterexamples([local, committed, path.join(d, 'absent.jsonl')]);
    expect(read.map((e) => e.id)).toEqual(['2-23.9', 'other']);
  });

  it('reads the local database, this directory’s committed cases and the cpqchaos package’s own', () => {
    const resolved = FAILURE_FILES.map((f) => path.resolve(f));
    expect(resolved).toContain(path.resolve('.cpqchaos/explore-failures.jsonl'));
    expect(resolved).toContain(path.join(PACKAGE_ROOT, 'scenarios/counterexamples.jsonl'));
    expect(new Set(resolved).size).toBe(resolved.length);
  });

  it('refuses a line that is not JSON or not a counterexample, naming file and line', () => {
    const file = path.join(dir(), 'db.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(entry)}\n{oops\n`);
    expect(() => readCounterexamples([file])).toThrow(UsageError);
    expect(() => readCounterexamples([file])).toThrow(`${file}:2: not JSON`);
    fs.writeFileSync(
      file,
      `${JSON.stringify({ ...entry, steps: [{ kind: 'quote', quote: 0, action: 'teleport' }] })}\n`,
    );
    expect(() => readCounterexamples([file])).toThrow(`${file}:1: step 1: unknown quote action`);
  });

  it('turns a counterexample into a gate scenario judged by the checker it broke', () => {
    const scenario = counterexampleScenario(entry);
    expect(scenario.name).toBe('counterexample-2-23.9');
    expect(scenario.tags).toContain('gate');
    expect(scenario.checkers.map((c) => c.name)).toEqual(['no-stale-submit']);
    expect(counterexampleScenario({ ...entry, checker: 'model' }).checkers.map((c) => c.name)).toEqual(['step-model']);
    expect(counterexampleScenario({ ...entry, checker: 'gone' }).checkers.length).toBeGreaterThan(2);
    expect(scenario.purpose).toMatch(
      /^counterexample found 2026-11-25 with --bugs submit-trusts-cache: no-stale-submit/,
    );
  });
});

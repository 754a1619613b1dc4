// Unit: a run is checked against the system under test before anything starts — an unknown planted
// bug, a component the system lacks, an ability a component lacks, an unknown failpoint, a budget
// the system does not declare, faults longer than the workload: each a UsageError (exit 64) naming
// what is missing, and `run` creates no run directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import type { StartedSystem, SystemUnderTest } from '../system/system.ts';
import { windowed } from '../faults/schedule.ts';
import { needsClock, needsFailpoints, preflight } from './preflight.ts';
import { run } from './run.ts';
import { noopScenario, type Scenario } from './scenario.ts';

const system: SystemUnderTest = {
  metrics: [],
  name: 'toy system',
  promises: { stalenessBudgetMs: 1000, retryBudgetsMs: { 'kafka-producer': 3000 } },
  bugs: ['bug-a'],
  failpoints: ['relay.fp'],
  plan: (instances) => [
    ...Array.from({ length: instances }, (_, i) => ({
      name: `api-${i + 1}`,
      kind: 'api',
      abilities: ['kill'] as const,
    })),
    { name: 'relay', kind: 'relay', abilities: ['kill', 'pause', 'failpoints'] as const },
  ],
  start: () => Promise.reject(new Error('must not start')) as Promise<StartedSystem>,
};

const needing = (requires: Scenario['requires']): Scenario => ({ ...noopScenario, name: 'needy', requires });

describe('preflight', () => {
  it('passes what the system has', () => {
    expect(() => preflight(system, [needing([{ component: 'relay', abilities: ['pause'] }])], ['bug-a'])).not.toThrow();
    expect(() => preflight(system, [needing([{ component: 'api-2', abilities: ['kill'] }])], [])).not.toThrow();
  });

  it.each([
    ['an unknown bug', [], ['bug-z'], /unknown planted bug bug-z for the toy system/],
    [
      'a missing component',
      [{ component: 'billing', abilities: ['kill'] as const }],
      [],
      /needy needs component 'billing'.*it has api-1, api-2, relay/,
    ],
    [
      'a missing ability',
      [{ component: 'api-1', abilities: ['pause'] as const }],
      [],
      /needy needs 'api-1' to pause, which it cannot/,
    ],
    [
      'an unknown failpoint',
      [{ component: 'relay', abilities: ['failpoints'] as const, failpoints: ['relay.nope'] }],
      [],
      /failpoint relay\.nope, unknown to the toy system \(known: relay\.fp\)/,
    ],
  ])('refuses %s with a usage error', (_, requires, bugs, message) => {
    const attempt = () => preflight(system, [needing(requires)], bugs);
    expect(attempt).toThrow(UsageError);
    expect(() => attempt()).toThrow(message);
  });

  it('refuses a fault sized from a budget the system does not declare, and faults longer than the time limit', () => {
    const fault = { name: 'f', target: 't', invoke: async () => ({}) };
    const sized = (budget: string, timeLimitS: number): Scenario => ({
      ...noopScenario,
      name: 'long',
      timeLimitS,
      faults: windowed(fault, { windows: 1, minMs: 0, maxMs: 0, outlast: { budget, factor: 2, extraMs: 0 } }),
    });
    expect(() => preflight(system, [sized('kafka-producer', 10)], [])).not.toThrow();
    expect(() => preflight(system, [sized('redis-reconnect', 10)], [])).toThrow(
      /long sizes a fault from the system's 'redis-reconnect' budget, which the toy system does not declare \(it declares: kafka-producer 3000 ms\)/,
    );
    expect(() => preflight(system, [sized('kafka-producer', 5)], [])).toThrow(
      /long needs 6500 ms of workload for its faults, more than its time limit of 5000 ms/,
    );
    expect(() => preflight(system, [sized('kafka-producer', 10)], [], 5)).toThrow(UsageError);
    const plain = { ...noopScenario, name: 'plain', faults: windowed(fault, { windows: 3, minMs: 2000, maxMs: 3000 }) };
    expect(() => preflight(system, [plain], [], 6)).toThrow(/plain needs 7500 ms of workload/);
  });

  it('starts the system with movable clocks only when a scenario moves one', () => {
    expect(needsClock([needing([{ component: 'relay', abilities: ['pause'] }])])).toBe(false);
    expect(needsClock([needing([{ component: 'api-1', abilities: ['clock'] }])])).toBe(true);
  });

  it('starts the system with failpoints only when a scenario arms them', () => {
    expect(needsFailpoints([needing([{ component: 'relay', abilities: ['pause'] }])])).toBe(false);
    expect(
      needsFailpoints([needing([{ component: 'relay', abilities: ['failpoints'], failpoints: ['relay.fp'] }])]),
    ).toBe(true);
  });

  it('makes run refuse before it writes anything', async () => {
    const outRoot = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-')), 'reports');
    await expect(
      run({
        scenarios: [needing([{ component: 'billing', abilities: ['kill'] }])],
        system,
        seed: 1,
        bugs: [],
        outRoot,
        command: 'run',
      }),
    ).rejects.toThrow(UsageError);
    expect(fs.existsSync(outRoot)).toBe(false);
  });
});

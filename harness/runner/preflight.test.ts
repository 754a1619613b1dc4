// Unit: a run is checked against the system under test before anything starts — an unknown planted
// bug, a component the system lacks, an ability a component lacks, an unknown failpoint: each a
// UsageError (exit 64) naming what is missing, and `run` creates no run directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import type { StartedSystem, SystemUnderTest } from '../system/system.ts';
import { needsFailpoints, preflight } from './preflight.ts';
import { run } from './run.ts';
import { noopScenario, type Scenario } from './scenario.ts';

const system: SystemUnderTest = {
  metrics: [],
  name: 'toy system',
  promises: { stalenessBudgetMs: 1000 },
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

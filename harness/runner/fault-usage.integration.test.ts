// Integration: what a run says of the system itself, beyond its requests. A fault the system cannot
// take — a failpoint its component does not know — stops the run with a usage error (exit 64 from
// the CLI) naming it, never a silent no-op; the faults are healed, the system stopped and the report
// of what ran is still written. And a component that died outside any fault is named by the quiesce
// (`available-after-recovery`: component-down-after-heal), where it would otherwise show only as
// effects missing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableAfterRecovery } from '../checkers/available-after-recovery.ts';
import { UsageError } from '../core/errors.ts';
import { startEnvironment, type Environment } from '../env/environment.ts';
import { failpointCrash } from '../faults/failpoint-faults.ts';
import { faultPackage } from '../faults/schedule.ts';
import { referenceSystem } from '../system/reference-system.ts';
import { run } from './run.ts';
import { noopScenario, type Scenario } from './scenario.ts';

let env: Environment;
beforeAll(async () => {
  env = await startEnvironment();
}, 180_000);
afterAll(async () => {
  await env?.stop();
});

/** A run of `scenarios` on the reference system, seed 1, one second of workload each. */
const runOf = (scenarios: Scenario[], outRoot: string) =>
  run({ scenarios, system: referenceSystem, seed: 1, bugs: [], outRoot, command: 'run', env, timeLimitS: 1 });

describe('a fault the system cannot take', () => {
  it('fails the run with a usage error naming the failpoint, after writing the report', async () => {
    const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-usage-'));
    const scenario: Scenario = {
      ...noopScenario,
      name: 'unknown-failpoint',
      requires: [{ component: 'consumers', abilities: ['kill', 'failpoints'] }],
      faults: () => [faultPackage(failpointCrash('consumers', 'consumer.nowhere'), [{ atMs: 0, action: 'start' }])],
    };
    const attempt = runOf([scenario], outRoot);
    await expect(attempt).rejects.toThrow(/unknown failpoint 'consumer.nowhere' on consumers/);
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    expect(fs.existsSync(path.join(fs.realpathSync(path.join(outRoot, 'latest')), 'summary.json'))).toBe(true);
  }, 120_000);
});

describe('a component that dies outside any fault', () => {
  it('is named after the heal, and a run where every component ran looks at each and finds none down', async () => {
    const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'component-down-'));
    const judged = { ...noopScenario, checkers: [availableAfterRecovery], instances: 1 };
    const healthy: Scenario = { ...judged, name: 'every-component-runs' };
    const dies: Scenario = {
      ...judged,
      name: 'consumers-die',
      requires: [{ component: 'consumers', abilities: ['kill'] }],
      setup: async (ctx) => ctx.system.component('consumers').killable?.kill(),
    };
    const outcome = await runOf([healthy, dies], outRoot);
    const [first, second] = outcome.scenarios.map((s) => s.checkers[0]);
    expect(first).toMatchObject({ valid: true, stats: { componentsDown: 0 } });
    expect(first?.stats.components).toBeGreaterThanOrEqual(3);
    expect(second?.valid).toBe(false);
    expect(second?.anomalies[0]).toMatchObject({ kind: 'component-down-after-heal', count: 1 });
    expect(second?.anomalies[0]?.first.message).toMatch(
      /^consumers was not running as the quiesce began, nor as it ended/,
    );
  }, 180_000);
});

/**
 * Every scenario's `faultNames` (the catalog `list` prints and the report shows) names exactly the
 * faults the scenario injects: those its schedule draws (`faults`, over several seeds, sized from
 * the reference system's budgets) and those its workload starts itself (`workloadFaults`), by the
 * names the history records.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../harness/core/random.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { referenceSystem } from '../harness/system/reference-system.ts';
import { SCENARIOS } from './index.ts';

/** The names a scenario's fault list declares: each entry's first word. */
const declared = (scenario: Scenario) => new Set(scenario.faultNames.map((entry) => entry.split(' ')[0]));

/** The names of the faults it really injects over seeds 1–5. */
function injected(scenario: Scenario): Set<string> {
  const names = new Set((scenario.workloadFaults ?? []).map((fault) => fault.name));
  for (let seed = 1; seed <= 5; seed++) {
    const ctx = {
      random: new Random(seed),
      timeLimitMs: scenario.timeLimitS * 1000,
      finalState: { parameters: { retryBudgetsMs: referenceSystem.promises.retryBudgetsMs } },
    };
    for (const pkg of scenario.faults(ctx as Parameters<Scenario['faults']>[0])) names.add(pkg.fault.name);
  }
  return names;
}

describe('scenario fault names', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s declares exactly the faults it injects', (_, scenario) => {
    expect([...declared(scenario)].sort()).toEqual([...injected(scenario)].sort());
  });

  it('fails on a name the scenario does not inject', () => {
    const scenario = SCENARIOS.find((s) => s.name === 'redis-restart') as Scenario;
    const renamed = { ...scenario, faultNames: ['redis-restart'] };
    expect([...declared(renamed)]).not.toEqual([...injected(renamed)]);
  });
});

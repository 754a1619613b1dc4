/**
 * Checks a run against the system under test before anything starts: every planted bug is one the
 * system has, and every scenario's required components, abilities and failpoints exist. A problem
 * is a usage error (exit 64) naming the scenario and what is missing — never a silent no-op.
 */
import { UsageError } from '../core/errors.ts';
import { parseBugs, unmetRequirements, type SystemUnderTest } from '../system/system.ts';
import type { Scenario } from './scenario.ts';

/** The API instances a run of `scenarios` starts: the most any of them needs. */
export function instancesFor(scenarios: readonly Pick<Scenario, 'instances'>[]): number {
  return Math.max(1, ...scenarios.map((s) => s.instances));
}

/** True when a scenario will arm failpoints (the system then starts with them enabled). */
export function needsFailpoints(scenarios: readonly Pick<Scenario, 'requires'>[]): boolean {
  return scenarios.some((s) => s.requires.some((r) => r.abilities.includes('failpoints')));
}

/** Throws a `UsageError` for the first scenario or bug the system cannot serve. */
export function preflight(system: SystemUnderTest, scenarios: readonly Scenario[], bugs: readonly string[]): void {
  parseBugs(system, bugs.join(','));
  const instances = instancesFor(scenarios);
  for (const scenario of scenarios) {
    const problems = unmetRequirements(system, instances, scenario.requires);
    if (problems.length)
      throw new UsageError(`scenario ${scenario.name} ${problems.join('; ')}`, `run it against a system that has them`);
  }
}

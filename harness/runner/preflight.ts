/**
 * Checks a run against the system under test before anything starts: every planted bug is one the
 * system has; every scenario's required components, abilities and failpoints exist; every budget its
 * faults are sized from is one the system declares; and its faults fit in its workload. A problem
 * is a usage error (exit 64) naming the scenario and what is missing — never a silent no-op.
 */
import { UsageError } from '../core/errors.ts';
import { declaredBudgets } from '../faults/budget.ts';
import { parseBugs, unmetRequirements, type SystemUnderTest } from '../system/system.ts';
import { parametersFor, type Scenario } from './scenario.ts';

/** The API instances a run of `scenarios` starts: the most any of them needs. */
export function instancesFor(scenarios: readonly Pick<Scenario, 'instances'>[]): number {
  return Math.max(1, ...scenarios.map((s) => s.instances));
}

/** True when a scenario will arm failpoints (the system then starts with them enabled). */
export function needsFailpoints(scenarios: readonly Pick<Scenario, 'requires'>[]): boolean {
  return scenarios.some((s) => s.requires.some((r) => r.abilities.includes('failpoints')));
}

/** True when a scenario will move a component's clock (the system then starts with movable clocks). */
export function needsClock(scenarios: readonly Pick<Scenario, 'requires'>[]): boolean {
  return scenarios.some((s) => s.requires.some((r) => r.abilities.includes('clock')));
}

/** What is wrong with `scenario`'s fault schedule on `system` within `timeLimitS` (empty: nothing). */
function faultProblems(system: SystemUnderTest, scenario: Scenario, timeLimitS: number): string[] {
  const needs = scenario.faults.needs;
  if (!needs) return [];
  const budgets = parametersFor(system, scenario).retryBudgetsMs;
  const undeclared = needs.budgets.filter((b) => budgets?.[b] === undefined);
  if (undeclared.length)
    return [
      `sizes a fault from the system's ${undeclared.map((b) => `'${b}'`).join(', ')} budget, which the ${system.name} does not declare (it declares: ${declaredBudgets(budgets)})`,
    ];
  const needed = needs.minSpanMs(budgets);
  return needed > timeLimitS * 1000
    ? [`needs ${needed} ms of workload for its faults, more than its time limit of ${timeLimitS * 1000} ms`]
    : [];
}

/** Everything `system` lacks to run `scenario` with `instances` API instances (empty: it can run). */
export function scenarioProblems(
  system: SystemUnderTest,
  scenario: Scenario,
  instances: number,
  timeLimitS = scenario.timeLimitS,
): string[] {
  return [...unmetRequirements(system, instances, scenario.requires), ...faultProblems(system, scenario, timeLimitS)];
}

/**
 * Throws a `UsageError` for the first scenario or bug the system cannot serve; `timeLimitS`
 * overrides every scenario's time limit (`--time-limit`).
 */
export function preflight(
  system: SystemUnderTest,
  scenarios: readonly Scenario[],
  bugs: readonly string[],
  timeLimitS?: number,
): void {
  parseBugs(system, bugs.join(','));
  const instances = instancesFor(scenarios);
  for (const scenario of scenarios) {
    const problems = unmetRequirements(system, instances, scenario.requires);
    if (problems.length)
      throw new UsageError(`scenario ${scenario.name} ${problems.join('; ')}`, `run it against a system that has them`);
    const faults = faultProblems(system, scenario, timeLimitS ?? scenario.timeLimitS);
    if (faults.length)
      throw new UsageError(
        `scenario ${scenario.name} ${faults.join('; ')}`,
        'raise --time-limit, or run it against a system that declares the budget',
      );
  }
}

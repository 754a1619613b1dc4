/**
 * What a system can be judged on: every registered scenario, every built-in drill and every
 * exploration family, each runnable or with what it misses — a component, an ability or a failpoint
 * the system does not declare, a budget it does not promise, a metric it does not export (static,
 * before anything starts) — and, once the system ran, an ability that failed when tried, a read the
 * checkers need that failed, or a contract endpoint that did not answer as the contract says.
 */
import fs from 'node:fs';
import path from 'node:path';
import { faultCatalog } from '../../faults/catalog.ts';
import { familyOf, type StepFamilyName } from '../../modes/explore/family.ts';
import { stepScenario } from '../../modes/explore/step-scenario.ts';
import { gamedayScenario } from '../../modes/gameday/gameday-scenario.ts';
import { readPlan } from '../../modes/gameday/plan-read.ts';
import { scenarioProblems } from '../../runner/preflight.ts';
import type { Scenario } from '../../runner/scenario.ts';
import type { AbilityProbe } from '../../system/check/ability-probes.ts';
import type { EndpointProbe } from '../../system/check/endpoint-probes.ts';
import type { ReadProbe } from '../../system/check/read-probes.ts';
import type { Requirement, SystemUnderTest } from '../../system/system.ts';
import { SCENARIOS } from '../../../scenarios/index.ts';
import { GAMEDAY_DIR } from '../gameday-command.ts';

export interface Runnable {
  kind: 'scenario' | 'drill' | 'exploration';
  name: string;
  tags: readonly string[];
  runs: boolean;
  missing: string[];
  /** What it runs without (an exploration leaves out the faults the system cannot run). */
  without?: string[];
}

/** What the system did when it was tried (absent: only the static check ran). */
export interface LiveResults {
  endpoints: EndpointProbe[];
  reads: ReadProbe[];
  abilities: AbilityProbe[];
}

/** Reads a checker needs beyond the ones every run's final reads make. */
const READS_OF_CHECKER: Record<string, string[]> = {
  'stampede-bound': ['sourceLoads(offering)', 'sourceLoads(price)'],
  'no-lost-events': ['ledger'],
  'effects-exactly-once': ['ledger', 'projectionVersions'],
};
const EVERY_RUN = ['quotes', 'orders', 'footprint', 'pendingOutbox', 'undelivered', 'versionPointers'];

/** What the live results say against `requires` and `checkers` (empty: nothing). */
function liveProblems(
  live: LiveResults | undefined,
  requires: readonly Requirement[],
  checkers: readonly string[],
  input = false,
): string[] {
  if (!live) return [];
  const abilities = requires.flatMap((r) =>
    r.abilities.flatMap((a) =>
      live.abilities
        .filter((p) => p.component === r.component && p.ability === a && !p.ok)
        .slice(0, 1)
        .map((p) => `'${r.component}' could not ${a}: ${p.detail}`),
    ),
  );
  const needed = new Set([...EVERY_RUN, ...checkers.flatMap((c) => READS_OF_CHECKER[c] ?? [])]);
  const reads = live.reads.filter((r) => needed.has(r.read) && !r.ok).map((r) => `read ${r.read} failed: ${r.result}`);
  const contract = live.endpoints
    .filter((e) => !e.ok && (input || e.request === 'valid'))
    .map((e) => `${e.endpoint} (${e.request}) answered ${e.got}, not ${e.expected}`);
  return [...new Set([...abilities, ...reads, ...contract])];
}

function entry(kind: Runnable['kind'], name: string, tags: readonly string[], missing: string[]): Runnable {
  return { kind, name, tags, runs: missing.length === 0, missing };
}

/** The built-in drill plans' files. */
function drillFiles(): string[] {
  return fs
    .readdirSync(GAMEDAY_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join(GAMEDAY_DIR, f));
}

function drill(system: SystemUnderTest, file: string, live: LiveResults | undefined): Runnable {
  const name = path.basename(file, '.yaml');
  let scenario: Scenario;
  try {
    const plan = readPlan(file, { faults: [...faultCatalog().keys()], metrics: system.metrics });
    scenario = gamedayScenario(plan, {
      speed: 1,
      say: () => undefined,
      unexportedMetrics: [],
      live: () => {
        throw new Error('not run here');
      },
    });
  } catch (error) {
    return entry('drill', name, ['gameday'], [(error as Error).message.split('\n')[0] ?? '']);
  }
  return entry(
    'drill',
    name,
    ['gameday'],
    [
      ...scenarioProblems(system, scenario, scenario.instances),
      ...liveProblems(
        live,
        scenario.requires,
        scenario.checkers.map((c) => c.name),
      ),
    ],
  );
}

/** Every scenario, drill and exploration family, and whether `system` can run it. */
export function whatCanRun(system: SystemUnderTest, live?: LiveResults): Runnable[] {
  const scenarios = SCENARIOS.map((s) =>
    entry('scenario', s.name, s.tags, [
      ...scenarioProblems(system, s, s.instances),
      ...liveProblems(
        live,
        s.requires,
        s.checkers.map((c) => c.name),
      ),
    ]),
  );
  const families = (['cache', 'messaging', 'all'] as StepFamilyName[]).map((name) => {
    const family = familyOf(name, system);
    const scenario = stepScenario(name, family, async () => undefined, { performed: [], violations: [] });
    const found = entry(
      'exploration',
      `explore --family ${name}`,
      ['explore'],
      [
        ...scenarioProblems(system, scenario, scenario.instances),
        ...liveProblems(
          live,
          scenario.requires,
          family.checkers.map((c) => c.name),
        ),
      ],
    );
    return family.leftOut.length ? { ...found, without: family.leftOut.map((l) => `${l.fault}: ${l.why}`) } : found;
  });
  const input = entry('exploration', 'explore --family input', ['explore'], liveProblems(live, [], [], true));
  return [...scenarios, ...drillFiles().map((f) => drill(system, f, live)), ...families, input];
}

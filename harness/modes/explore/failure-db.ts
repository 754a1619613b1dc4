/**
 * The failure database: every counterexample an exploration found (seed, path, family, steps,
 * bugs, the checker and anomaly, when), one JSON object per line in `.cpqchaos/explore-failures.jsonl`
 * (git-ignored with the rest of `.cpqchaos/`). Lines copied into `scenarios/counterexamples.jsonl`
 * are committed regression cases. `explore` and `gate` re-run every recorded counterexample first,
 * so a bug found once stays found. A line that does not parse is a usage error naming file and line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { PACKAGE_ROOT } from '../../env/paths.ts';
import { writeJson } from '../../report/run-dir.ts';
import { describeSteps, stepProblem, type Step } from '../../workload/steps.ts';
import type { Scenario } from '../../runner/scenario.ts';
import { FAMILIES, familyOf, type ExploreFamily, type StepFamilyName } from './family.ts';
import { fixedSteps, stepScenario, type StepRunRecord } from './step-scenario.ts';

export interface RecordedCounterexample {
  id: string;
  date: string;
  seed: number;
  path: string;
  family: StepFamilyName;
  maxSteps: number;
  bugs: string[];
  steps: Step[];
  /** The first violated checker and its first anomaly, or the model's first violation. */
  checker: string;
  anomaly: string;
}

/**
 * The local database (found here) and the committed regression cases — this directory's, and the
 * cpqchaos package's own (so they run wherever cpqchaos is started from).
 */
export const FAILURE_FILES = [
  ...new Set([
    '.cpqchaos/explore-failures.jsonl',
    'scenarios/counterexamples.jsonl',
    path.relative(process.cwd(), path.join(PACKAGE_ROOT, 'scenarios/counterexamples.jsonl')),
  ]),
];

function problemOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const e = value as Record<string, unknown>;
  if (typeof e.id !== 'string') return 'id must be a string';
  if (!Number.isInteger(e.seed)) return 'seed must be an integer';
  if (typeof e.family !== 'string' || !(FAMILIES as readonly string[]).includes(e.family) || e.family === 'input')
    return 'family must be cache, messaging or all';
  if (!Array.isArray(e.steps) || e.steps.length === 0) return 'steps must be a non-empty array';
  for (const [i, step] of e.steps.entries()) {
    const problem = stepProblem(step);
    if (problem) return `step ${i + 1}: ${problem}`;
  }
  if (!Array.isArray(e.bugs) || e.bugs.some((b) => typeof b !== 'string')) return 'bugs must be an array of names';
  return undefined;
}

/** Every counterexample recorded in `files` (missing files hold none), oldest first, without repeats. */
export function readCounterexamples(files: readonly string[] = FAILURE_FILES): RecordedCounterexample[] {
  const seen = new Set<string>();
  const entries: RecordedCounterexample[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    for (const [i, line] of fs.readFileSync(file, 'utf8').split('\n').entries()) {
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new UsageError(`${file}:${i + 1}: not JSON (${(error as Error).message})`, 'fix or delete that line');
      }
      const problem = problemOf(value);
      if (problem) throw new UsageError(`${file}:${i + 1}: ${problem}`, 'fix or delete that line');
      const entry = value as RecordedCounterexample;
      const key = JSON.stringify([entry.family, entry.steps]);
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push(entry);
    }
  }
  return entries;
}

/** Appends a counterexample to the local database. */
export function recordCounterexample(entry: RecordedCounterexample, file = FAILURE_FILES[0] as string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/**
 * A recorded counterexample as a scenario of its own (`counterexample-<id>`, tagged `gate` and
 * `counterexample`): its steps on fresh tenants, judged by its family's checkers and the model.
 */
export function counterexampleScenario(
  entry: RecordedCounterexample,
  record: StepRunRecord = { performed: [], violations: [] },
  family: ExploreFamily = familyOf(entry.family),
): Scenario {
  const scenario = stepScenario(`counterexample-${entry.id}`, family, fixedSteps(entry.steps), record);
  // A regression case guards the invariant it broke: judged by that checker alone, a sequence that
  // never meant to exercise the others does not leave them undecided in the gate.
  const broken = entry.checker === 'model' ? 'step-model' : entry.checker;
  const guard = scenario.checkers.filter((c) => c.name === broken);
  return {
    ...scenario,
    checkers: guard.length > 0 ? guard : scenario.checkers,
    purpose:
      `counterexample found ${entry.date.slice(0, 10)}${entry.bugs.length ? ` with --bugs ${entry.bugs.join(',')}` : ''}: ${entry.checker} — ${entry.anomaly}`.slice(
        0,
        200,
      ),
    tags: ['gate', 'counterexample'],
  };
}

/** A counterexample as explore reports it: what to record, its replay line, and the recorded one it repeats. */
export type FoundCounterexample = Omit<RecordedCounterexample, 'id' | 'date'> & { replay: string; regression?: string };

/** `counterexample.json` and `counterexample.txt` (numbered steps, what broke, the replay line) in the run directory. */
export function writeCounterexample(dir: string, found: FoundCounterexample): void {
  writeJson(path.join(dir, 'counterexample.json'), found);
  const lines = [
    `${found.steps.length} steps, breaks ${found.checker} — ${found.anomaly}`,
    ...describeSteps(found.steps),
    `replay: ${found.replay}`,
  ];
  fs.writeFileSync(path.join(dir, 'counterexample.txt'), `${lines.join('\n')}\n`);
}

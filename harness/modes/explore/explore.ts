/**
 * `explore`'s driver: property-based exploration with fast-check over the live system. It plugs
 * into the run lifecycle (run.ts) as its step 3, so the environment, the system, the history, the
 * watchdogs and the reports are a run's. In order:
 *   1. every recorded counterexample (failure-db.ts) is re-run first; one that fails again ends the
 *      exploration with it;
 *   2. fast-check draws sequences of steps (step-arbitraries.ts); each sequence is one scenario run
 *      on fresh tenants (step-scenario.ts): the model judges each step, every checker the whole;
 *   3. a failing sequence is shrunk the same way, run by run, to the smallest that still fails;
 *   4. the counterexample is printed as numbered steps with one replay line, and recorded.
 * With `--path`, fast-check replays exactly the counterexample at that path of the seed.
 */
import fc from 'fast-check';
import type { ScenarioOutcome, SequenceOutcome } from '../../core/outcome.ts';
import type { Step } from '../../workload/steps.ts';
import { addPhases } from '../../runner/phase-clock.ts';
import { runScenario } from '../../runner/run-scenario.ts';
import type { Scenario } from '../../runner/scenario.ts';
import type { RunOptions, Shared } from '../../runner/run-types.ts';
import {
  counterexampleScenario,
  readCounterexamples,
  recordCounterexample,
  writeCounterexample,
  type FoundCounterexample,
  type RecordedCounterexample,
} from './failure-db.ts';
import { familyOf, type ExploreFamily, type FaultSupport, type StepFamilyName } from './family.ts';
import { exploreReplay } from './explore-replay.ts';
import { commandsArbitrary, fullReplayPath, splitReplayPath } from './step-arbitraries.ts';
import { openingSteps, runUntilViolation, stepScenario, type StepRunRecord } from './step-scenario.ts';

export interface ExploreSettings {
  family: StepFamilyName;
  runs: number;
  steps: number;
  seed: number;
  path?: string;
  bugs: string[];
  /** The file `--system` described the system in (absent: the reference CPQ/OMS), for replay lines. */
  systemFile?: string;
  /** The system explored: the family's faults it cannot run are left out (absent: none are). */
  system?: FaultSupport;
  /**
   * Stops drawing new sequences after this long; a counterexample found gets as long again of its
   * own to shrink (a shrink step costs a live run, so a late find must not be cut short unshrunk).
   */
  timeLimitS: number;
  /** Where counterexamples are read from first and recorded to (the first file). */
  failureFiles: readonly string[];
  /** One line per run, shrink and regression. */
  onEvent?: (line: string) => void;
}

/** What the exploration found and how fast it went. */
export interface ExploreResult {
  counterexample?: FoundCounterexample;
  runs: number;
  shrinks: number;
  steps: number;
  elapsedMs: number;
  /** Cases each checker judged over all runs. */
  judged: Record<string, number>;
  interrupted: boolean;
  /** Every sequence run (recorded counterexamples, drawn runs, shrinks), in order. */
  sequences: SequenceOutcome[];
  /** Milliseconds per phase over every sequence (setup, workload, heal, quiesce, final reads, check). */
  phasesMs: Record<string, number>;
  /** Milliseconds faults were in effect, over every sequence (inside the workload). */
  faultsHeldMs: number;
}

const failing = (outcome: ScenarioOutcome, record: StepRunRecord) =>
  outcome.valid === false || record.violations.length > 0;

/** The checker and anomaly (or the model's rule) a failing run broke. */
function brokenBy(outcome: ScenarioOutcome, record: StepRunRecord): { checker: string; anomaly: string } {
  const checker = outcome.checkers.find((c) => c.valid === false);
  const group = checker?.anomalies[0];
  if (checker && group) return { checker: checker.name, anomaly: `${group.kind}: ${group.first.message}` };
  const violation = record.violations[0];
  return { checker: 'model', anomaly: violation ? `step ${violation.step + 1}: ${violation.text}` : 'unknown' };
}

/** The run options' driver and verdict for an exploration; `result` is filled as it goes. */
export function exploreDriver(settings: ExploreSettings): {
  drive: NonNullable<RunOptions['drive']>;
  judge: NonNullable<RunOptions['judge']>;
  result: ExploreResult;
  families: ExploreFamily[];
} {
  // Each family once on this system (the recorded counterexamples name at most three).
  const families = new Map<StepFamilyName, ExploreFamily>();
  const familyOfEntry = (entry: { family: StepFamilyName }) => {
    const found = families.get(entry.family) ?? familyOf(entry.family, settings.system);
    families.set(entry.family, found);
    return found;
  };
  const family = familyOfEntry(settings);
  // A recorded counterexample that starts a fault the system cannot run is not a regression case here.
  const recorded: RecordedCounterexample[] = [];
  const unrunnable: string[] = [];
  for (const entry of readCounterexamples(settings.failureFiles)) {
    const faults = familyOfEntry(entry).faults;
    if (entry.steps.every((step) => step.kind !== 'fault' || faults.includes(step.fault))) recorded.push(entry);
    else unrunnable.push(entry.id);
  }
  const result: ExploreResult = {
    runs: 0,
    shrinks: 0,
    steps: 0,
    elapsedMs: 0,
    judged: {},
    interrupted: false,
    sequences: [],
    phasesMs: {},
    faultsHeldMs: 0,
  };
  const say = settings.onEvent ?? (() => undefined);
  const started = performance.now();
  let index = 0;

  /** Runs the scenario `make` builds around a fresh record of what it performs. */
  async function runSteps(shared: Shared, make: (record: StepRunRecord) => Scenario) {
    const record: StepRunRecord = { performed: [], violations: [] };
    const outcome = await runScenario(make(record), index++, shared);
    result.steps += record.performed.length;
    addPhases(result.phasesMs, outcome.phasesMs);
    result.faultsHeldMs += outcome.faults.reduce((sum, f) => sum + Math.max(0, f.endMs - f.startMs), 0);
    for (const c of outcome.checkers) result.judged[c.name] = (result.judged[c.name] ?? 0) + c.opportunities;
    return { outcome, record };
  }

  async function regressions(shared: Shared, outcomes: ScenarioOutcome[]): Promise<boolean> {
    if (unrunnable.length)
      say(`recorded counterexample(s) ${unrunnable.join(', ')} not re-run: they start a fault the system cannot run`);
    for (const entry of recorded) {
      if (shared.options.signal?.aborted) return false;
      const t0 = performance.now();
      const { outcome, record } = await runSteps(shared, (r) => counterexampleScenario(entry, r, familyOfEntry(entry)));
      const replay = exploreReplay({ ...entry, steps: entry.maxSteps }, entry.path);
      outcomes.push({ ...outcome, replay });
      const again = failing(outcome, record);
      result.sequences.push({
        name: outcome.name,
        shrink: false,
        steps: record.performed.length,
        failed: again,
        seconds: (performance.now() - t0) / 1000,
        ...(again ? { checker: brokenBy(outcome, record).checker } : {}),
      });
      say(
        `recorded counterexample ${entry.id} (${entry.steps.length} steps, found ${entry.date.slice(0, 10)}): ${again ? 'fails again' : 'passes'}`,
      );
      if (again) {
        result.counterexample = {
          ...entry,
          ...brokenBy(outcome, record),
          steps: record.performed,
          replay,
          regression: entry.id,
        };
        writeCounterexample(shared.dir, result.counterexample);
        return true;
      }
    }
    return false;
  }

  const drive: NonNullable<RunOptions['drive']> = async (shared, outcomes) => {
    if (!settings.path && (await regressions(shared, outcomes))) {
      result.elapsedMs = performance.now() - started;
      return;
    }
    let firstFailure: ScenarioOutcome | undefined;
    let last: { outcome: ScenarioOutcome; record: StepRunRecord } | undefined;
    const passed: ScenarioOutcome[] = [];
    let deadline = started + settings.timeLimitS * 1000;
    const given = settings.path ? splitReplayPath(settings.path) : undefined;
    const arbitrary = commandsArbitrary(family, settings.steps, given?.replayPath);
    const property = fc.asyncProperty(arbitrary, async (commands) => {
      // Nothing to run, nothing to learn: an empty sequence costs no live run.
      if (shared.options.signal?.aborted || [...commands].length === 0) return true;
      // Past the budget every remaining candidate passes unrun: fast-check ends with the last failure.
      if (performance.now() > deadline) {
        result.interrupted = true;
        return true;
      }
      const shrinking = firstFailure !== undefined;
      const name = shrinking ? `shrink-${++result.shrinks}` : `run-${++result.runs}`;
      const t0 = performance.now();
      const run = await runSteps(shared, (r) =>
        stepScenario(
          name,
          family,
          async (perform, model) => {
            for (const step of openingSteps(family)) await perform(step);
            await runUntilViolation(model, perform, commands);
          },
          r,
        ),
      );
      const fails = failing(run.outcome, run.record);
      const checker = fails ? brokenBy(run.outcome, run.record).checker : undefined;
      const seconds = (performance.now() - t0) / 1000;
      const steps = run.record.performed.length;
      result.sequences.push({
        name,
        shrink: shrinking,
        steps,
        failed: fails,
        seconds,
        ...(checker ? { checker } : {}),
      });
      const what = fails ? `fails (${checker})` : 'passes';
      say(`${name}${shrinking ? '' : `/${settings.runs}`}: ${steps} steps, ${what} in ${seconds.toFixed(1)} s`);
      if (fails) {
        if (!firstFailure) deadline = performance.now() + settings.timeLimitS * 1000;
        firstFailure ??= run.outcome;
        last = run;
      } else if (!shrinking) passed.push(run.outcome);
      return !fails;
    });
    const details = await fc.check(property, {
      seed: settings.seed,
      numRuns: settings.runs,
      ...(given ? { path: given.path, endOnFailure: true } : {}),
    });
    result.elapsedMs = performance.now() - started;
    if (details.failed && last && details.counterexamplePath) {
      const fullPath = fullReplayPath(details.counterexamplePath, details.counterexample?.[0]);
      const replay = exploreReplay(settings, fullPath);
      const steps: Step[] = last.record.performed;
      result.counterexample = {
        seed: settings.seed,
        path: fullPath,
        family: settings.family,
        maxSteps: settings.steps,
        bugs: settings.bugs,
        steps,
        ...brokenBy(last.outcome, last.record),
        replay,
      };
      writeCounterexample(shared.dir, result.counterexample);
      if (firstFailure && firstFailure !== last.outcome) outcomes.push({ ...firstFailure, replay });
      outcomes.push({ ...last.outcome, replay });
      if (!settings.path)
        recordCounterexample(
          {
            id: `${settings.seed}-${details.counterexamplePath.replace(/:/g, '.')}`,
            date: new Date().toISOString(),
            ...result.counterexample,
          },
          settings.failureFiles[0],
        );
    } else outcomes.push(...passed.map((o) => ({ ...o, replay: exploreReplay(settings) })));
    if (details.errorInstance && !details.failed) throw details.errorInstance;
  };

  /**
   * Violated when a counterexample was found; unknown when interrupted (Ctrl-C, a harness error) or
   * when a checker judged nothing over the whole exploration. Reaching the time limit is not a reason:
   * the sequences that ran were judged.
   */
  const judge: NonNullable<RunOptions['judge']> = (outcomes, incomplete) => {
    if (result.counterexample || outcomes.some((o) => o.valid === false)) return false;
    if (incomplete) return 'unknown';
    return family.checkers.every((c) => (result.judged[c.name] ?? 0) > 0) ? true : 'unknown';
  };
  return { drive, judge, result, families: [family, ...recorded.map(familyOfEntry)] };
}

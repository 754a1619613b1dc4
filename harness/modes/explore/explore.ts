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
import { sequenceEnding, type ScenarioOutcome } from '../../core/outcome.ts';
import type { Step } from '../../workload/steps.ts';
import { runScenario } from '../../runner/run-scenario.ts';
import { restartComponents } from '../../system/components-running.ts';
import type { Scenario } from '../../runner/scenario.ts';
import type { RunOptions, Shared } from '../../runner/run-types.ts';
import {
  counterexampleScenario,
  readCounterexamples,
  recordCounterexample,
  writeCounterexample,
  type RecordedCounterexample,
} from './failure-db.ts';
import { familyOf, type ExploreFamily, type StepFamilyName } from './family.ts';
import { brokenBy, sequenceEntry, tally, type ExploreResult, type ExploreSettings } from './explore-types.ts';
import { exploreReplay } from './explore-replay.ts';
import { runInRounds, type RoundRun } from './explore-rounds.ts';
import { commandsArbitrary, drawsFor, fullReplayPath, hasSteps, splitReplayPath } from './step-arbitraries.ts';
import { openingSteps, runUntilViolation, stepScenario, type StepRunRecord } from './step-scenario.ts';

export type { ExploreResult, ExploreSettings } from './explore-types.ts';

/** Times a sequence that failed among others is re-run alone before it is called an interaction. */
const ALONE_TRIES = 3;

/** fast-check's commands of one drawn sequence. */
type Commands = Parameters<typeof runUntilViolation>[2];

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
    tally(result, outcome, record, outcome.phasesMs);
    return { outcome, record };
  }

  /** The scenario of one drawn sequence: the family's opening steps, then the commands until a violation. */
  const sequenceScenario = (name: string, commands: Commands, record: StepRunRecord) =>
    stepScenario(
      name,
      family,
      async (perform, model) => {
        for (const step of openingSteps(family)) await perform(step);
        await runUntilViolation(model, perform, commands);
      },
      record,
    );

  /** Records one sequence that ran (and says so); whether it failed. */
  function noteRun(
    name: string,
    shrinking: boolean,
    run: { outcome: ScenarioOutcome; record: StepRunRecord },
    seconds: number,
    also = '',
  ) {
    const entry = sequenceEntry(name, shrinking, run, seconds);
    result.sequences.push(entry);
    const suffix = shrinking || name.includes('-alone') ? '' : `/${settings.runs}`;
    say(`${name}${suffix}: ${entry.steps} steps, ${sequenceEnding(entry)} in ${seconds.toFixed(1)} s${also}`);
    return entry.failed;
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
      const ran = sequenceEntry(outcome.name, false, { outcome, record }, (performance.now() - t0) / 1000);
      result.sequences.push(ran);
      const again = ran.failed;
      const found = `found ${entry.date.slice(0, 10)}`;
      say(
        `recorded counterexample ${entry.id} (${entry.steps.length} steps, ${found}): ${again ? 'fails again' : sequenceEnding(ran)}`,
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
    const atOnce = settings.atOnce ?? 1;
    const drawn = given ? undefined : drawsFor(arbitrary, settings.seed, settings.runs);
    // The sequence re-run alone (named after its run, at its path in the seed), when one failed among others.
    let alone: { name: string; path: string } | undefined;
    const property = fc.asyncProperty(arbitrary, async (commands) => {
      // Nothing to run, nothing to learn: an empty sequence costs no live run.
      if (shared.options.signal?.aborted || !hasSteps(commands)) return true;
      // Past the budget every remaining candidate passes unrun: fast-check ends with the last failure.
      if (performance.now() > deadline) {
        result.interrupted = true;
        return true;
      }
      const shrinking = firstFailure !== undefined;
      const name = shrinking ? `shrink-${++result.shrinks}` : (alone?.name ?? `run-${++result.runs}`);
      const t0 = performance.now();
      const run = await runSteps(shared, (r) => sequenceScenario(name, commands, r));
      const fails = noteRun(name, shrinking, run, (performance.now() - t0) / 1000);
      if (fails) {
        if (!firstFailure) deadline = performance.now() + settings.timeLimitS * 1000;
        firstFailure ??= run.outcome;
        last = run;
      } else if (!shrinking) passed.push(run.outcome);
      return !fails;
    });
    const check = () =>
      fc.check(property, {
        seed: settings.seed,
        numRuns: alone ? 1 : (drawn?.length ?? settings.runs),
        ...(given ? { path: given.path, endOnFailure: true } : alone ? { path: alone.path } : {}),
      });
    let details: Awaited<ReturnType<typeof check>> | undefined;
    // Failures among others, none reproduced alone: real failures, but no single sequence reproduces them.
    const mixed: RoundRun[] = [];
    if (!given && atOnce > 1) {
      const rounds = await runInRounds({
        shared,
        draws: drawn ?? [],
        atOnce,
        scenarioOf: sequenceScenario,
        runnable: hasSteps,
        reserve: (count) => (index += count) - count,
        deadline: () => deadline,
        onRun: (run, seconds, phasesMs, first) => {
          result.runs++;
          tally(result, run.outcome, run.record, first ? phasesMs : undefined);
          const fails = noteRun(run.name, false, run, seconds, ` (${atOnce} at once)`);
          if (!fails) passed.push(run.outcome);
          return fails;
        },
        tryAlone: async (run) => {
          // On fresh processes, as its replay runs: a pool the round leaked failed its set-up ("0 steps, passes").
          say(`${run.name} failed among ${atOnce} sequences run at once: re-running it alone, to shrink it`);
          const [t0, ranBefore] = [performance.now(), result.sequences.length];
          const kept = await restartComponents(shared.system.components);
          const but = kept.length ? `, not ${kept.join(', ')} (no restart)` : '';
          say(`components restarted for it in ${((performance.now() - t0) / 1000).toFixed(1)} s${but}`);
          // A race lost alone may be won on another try: ALONE_TRIES before it is called an interaction.
          for (let tries = 1, ended = false; tries <= ALONE_TRIES && !ended; tries++) {
            alone = { name: `${run.name}-alone${tries > 1 ? `-${tries}` : ''}`, path: String(run.index) };
            details = await check();
            const unrun = result.sequences.at(-1)?.couldNotRun;
            ended = details.failed || unrun !== undefined || shared.options.signal?.aborted === true;
          }
          alone = undefined;
          // Past the time limit fast-check's run passes unrun: nothing was learnt alone.
          const last = result.sequences.at(-1);
          if (result.sequences.length === ranBefore || !last) return undefined;
          if (!details?.failed) say(`${run.name} ${sequenceEnding(last)} alone: an interaction`);
          return details?.failed === true;
        },
      });
      result.interrupted ||= rounds.timedOut;
      Object.assign(result, { passedOver: rounds.passedOver, overlappedMs: rounds.overlappedMs });
      mixed.push(...rounds.interactions.flatMap((i) => i.runs));
      const [first] = rounds.interactions;
      const run = first?.runs[0];
      if (first && run)
        result.interaction = {
          name: run.name,
          ...brokenBy(run.outcome, run.record),
          round: first.round,
          triedAlone: first.triedAlone,
          others: rounds.interactions.length - 1,
          replay: exploreReplay({ ...settings, atOnce }),
        };
    } else details = await check();
    result.elapsedMs = performance.now() - started;
    if (details?.failed && last && details.counterexamplePath) {
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
    } else {
      const replay = exploreReplay({ ...settings, atOnce: given ? 1 : atOnce });
      outcomes.push(...passed.map((o) => ({ ...o, replay })), ...mixed.map((r) => ({ ...r.outcome, replay })));
    }
    if (details?.errorInstance && !details.failed) throw details.errorInstance;
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

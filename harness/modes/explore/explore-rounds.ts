/**
 * Exploration with sequences run at once: the sequences fast-check would run one after another
 * (the same seed draws the same values in the same order with `fc.sample`) run `atOnce` at a time
 * as rounds (runner/run-round.ts), each on its own tenants, with every fault in effect recorded in
 * each one's history. The first round with a failing sequence ends the drawing: the caller re-runs
 * that sequence alone through fast-check (its path in the seed is its index), which shrinks it and
 * gives an exact replay line — a counterexample always runs alone and reproduces.
 */
import type { ScenarioOutcome } from '../../core/outcome.ts';
import { runRound } from '../../runner/run-round.ts';
import type { Scenario } from '../../runner/scenario.ts';
import type { Shared } from '../../runner/run-types.ts';
import type { StepRunRecord } from './step-scenario.ts';

/** One sequence of a round, as it ran. */
export interface RoundRun {
  /** Its index among the seed's draws (fast-check's path to it). */
  index: number;
  name: string;
  outcome: ScenarioOutcome;
  record: StepRunRecord;
}

export interface RoundsInput<C> {
  shared: Shared;
  /** The seed's first `runs` draws, in fast-check's order. */
  draws: readonly C[];
  atOnce: number;
  /** The scenario that runs one drawn sequence, recording into `record`. */
  scenarioOf: (name: string, commands: C, record: StepRunRecord) => Scenario;
  /** Whether a drawn sequence has anything to run (an empty one costs no live run, as in fast-check). */
  runnable: (commands: C) => boolean;
  /** The run's index of the next scenario, reserving `count`. */
  reserve: (count: number) => number;
  /** Past it (`performance.now()`), no new round starts. */
  deadline: number;
  /** Runs a round (default runner/run-round.ts; a test passes its own). */
  runRound?: typeof runRound;
  /** Called for every sequence once its round is judged; says whether it failed. */
  onRun: (run: RoundRun, roundSeconds: number, roundPhasesMs: Record<string, number>, first: boolean) => boolean;
}

/**
 * Runs the draws in rounds of `atOnce` until one fails, the draws run out, the deadline passes or
 * the run is interrupted; returns the failing sequences of the round that ended it (index order)
 * with the names of every sequence of that round, whether the deadline stopped it, and how many
 * fault starts the rounds passed over.
 */
export async function runInRounds<C>(
  input: RoundsInput<C>,
): Promise<{ failing: RoundRun[]; timedOut: boolean; round: string[]; passedOver: number }> {
  const { shared, draws, atOnce } = input;
  const queue = draws.map((commands, index) => ({ commands, index })).filter((d) => input.runnable(d.commands));
  let ranSoFar = 0;
  let passedOver = 0;
  while (queue.length > 0) {
    if (shared.options.signal?.aborted) return { failing: [], timedOut: false, round: [], passedOver };
    if (performance.now() > input.deadline) return { failing: [], timedOut: true, round: [], passedOver };
    const batch = queue.splice(0, atOnce);
    const records = batch.map((): StepRunRecord => ({ performed: [], violations: [] }));
    const names = batch.map((_, i) => `run-${ranSoFar + i + 1}`);
    ranSoFar += batch.length;
    const t0 = performance.now();
    const { outcomes, phasesMs, ...round } = await (input.runRound ?? runRound)(
      batch.map((d, i) => input.scenarioOf(names[i] as string, d.commands, records[i] as StepRunRecord)),
      input.reserve(batch.length),
      shared,
    );
    const seconds = (performance.now() - t0) / 1000;
    passedOver += round.passedOver;
    const failing = batch
      .map((d, i) => ({
        index: d.index,
        name: names[i] as string,
        outcome: outcomes[i] as ScenarioOutcome,
        record: records[i] as StepRunRecord,
      }))
      .filter((run, i) => input.onRun(run, seconds, phasesMs, i === 0));
    if (failing.length > 0) return { failing, timedOut: false, round: names, passedOver };
  }
  return { failing: [], timedOut: false, round: [], passedOver };
}

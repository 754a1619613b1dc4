/**
 * Exploration with sequences run at once: the sequences fast-check would run one after another
 * (the same seed draws the same values in the same order with `fc.sample`) run `atOnce` at a time
 * as rounds (runner/run-round.ts), each on its own tenants, with every fault in effect recorded in
 * each one's history. A failing sequence is re-run alone through fast-check (its path in the seed
 * is its index; the caller's `tryAlone`) — a counterexample always runs alone and reproduces — and
 * the drawing ends when one fails again; one that does not is an interaction, and the drawing goes on.
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
  /** Past it (`performance.now()`), no new round starts and no failure is re-run alone. */
  deadline: () => number;
  /** Runs a round (default runner/run-round.ts; a test passes its own). */
  runRound?: typeof runRound;
  /** Called for every sequence once its round is judged; says whether it failed. */
  onRun: (run: RoundRun, roundSeconds: number, roundPhasesMs: Record<string, number>, first: boolean) => boolean;
  /** Re-runs a sequence that failed among others alone; resolves true when it failed again (the drawing ends). */
  tryAlone: (run: RoundRun) => Promise<boolean>;
}

/** Sequences that failed among others and did not fail alone, with the names of their round. */
export interface Interaction {
  runs: RoundRun[];
  round: string[];
  /** False when the time limit came before they could be re-run alone. */
  triedAlone: boolean;
}

/**
 * Runs the draws in rounds of `atOnce`; the failing sequences of a round are re-run alone, in index
 * order, until one fails again (that ends the drawing). Also ends when the draws run out, the
 * deadline passes or the run is interrupted. Returns whether a sequence failed again alone, whether
 * the deadline ended it, the interactions (failures among others only) and how many fault starts
 * the rounds passed over.
 */
export async function runInRounds<C>(
  input: RoundsInput<C>,
): Promise<{ ended: boolean; timedOut: boolean; interactions: Interaction[]; passedOver: number }> {
  const { shared, draws, atOnce } = input;
  const queue = draws.map((commands, index) => ({ commands, index })).filter((d) => input.runnable(d.commands));
  let ranSoFar = 0;
  let passedOver = 0;
  const interactions: Interaction[] = [];
  while (queue.length > 0) {
    if (shared.options.signal?.aborted) return { ended: false, timedOut: false, interactions, passedOver };
    if (performance.now() > input.deadline()) return { ended: false, timedOut: true, interactions, passedOver };
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
    if (failing.length === 0) continue;
    const triedAlone = performance.now() <= input.deadline() && !shared.options.signal?.aborted;
    for (const run of triedAlone ? failing : [])
      if (await input.tryAlone(run)) return { ended: true, timedOut: false, interactions, passedOver };
    interactions.push({ runs: failing, round: names, triedAlone });
  }
  return { ended: false, timedOut: false, interactions, passedOver };
}

/**
 * Exploration with sequences run at once: the sequences fast-check would run one after another
 * (the same seed draws the same values in the same order with `fc.sample`) run `atOnce` at a time
 * as rounds (runner/run-round.ts), each on its own tenants, with every fault in effect recorded in
 * each one's history. A failing sequence is re-run alone through fast-check (its path in the seed
 * is its index; the caller's `tryAlone`) — a counterexample always runs alone and reproduces — and
 * the drawing ends when one fails again; one that does not is an interaction, and the drawing goes on.
 */
import type { Op } from '../../core/op.ts';
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

/** Fault starts a sequence performed itself. */
const faultStarts = (run: RoundRun) =>
  run.record.performed.filter((step) => step.kind === 'fault' && step.action === 'start').length;

/**
 * A round's failures in the order they are re-run alone: the ones that started most faults first,
 * ties in draw order. A system-wide failure (the system not answering after the heal) breaks every
 * sequence of the round, and the time limit allows re-running only a few (three tries each): seed 2
 * at 12 at once spent its last two minutes on the first six in draw order, none of which had
 * started the faults in effect. One that started none is the least likely to break it alone.
 */
export const likeliestFirst = (failing: readonly RoundRun[]): RoundRun[] =>
  [...failing].sort((a, b) => faultStarts(b) - faultStarts(a));

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
  /**
   * Re-runs a sequence that failed among others alone; resolves true when it failed again (the drawing
   * ends), undefined when it could not be re-run after all (the time limit came first).
   */
  tryAlone: (run: RoundRun) => Promise<boolean | undefined>;
}

/** Sequences that failed among others and did not fail alone, with the names of their round. */
export interface Interaction {
  runs: RoundRun[];
  round: string[];
  /** False when the time limit came before any of them could be re-run alone. */
  triedAlone: boolean;
}

/** A round under way: its draws, names and records, its end, and the moment it has healed. */
interface Flight<C> {
  batch: { commands: C; index: number }[];
  names: string[];
  records: StepRunRecord[];
  /** Resolves with the round's fault actions once it has healed (or with none, once it ended without). */
  healed: Promise<readonly Op[]>;
  done: Promise<Awaited<ReturnType<typeof runRound>> & { seconds: number }>;
  launchedAt: number;
}

/**
 * Runs the draws in rounds of `atOnce`, each round starting once the one before has healed (its
 * business steps overlap that round's quiesce and final reads; run-round.ts keeps its faults and
 * measurements back until that round is done). The failing sequences of a round are re-run alone,
 * likeliest first, once the round after it has ended too, until one fails again (that ends the
 * drawing). Also ends when the draws run out, the deadline passes or the run is interrupted.
 * Returns whether a sequence failed again alone, whether the deadline ended it, the interactions
 * (failures among others only), how many fault starts the rounds passed over and how long two
 * rounds ran at once.
 */
export async function runInRounds<C>(input: RoundsInput<C>): Promise<{
  ended: boolean;
  timedOut: boolean;
  interactions: Interaction[];
  passedOver: number;
  overlappedMs: number;
}> {
  const { shared, atOnce } = input;
  const queue = input.draws.map((commands, index) => ({ commands, index })).filter((d) => input.runnable(d.commands));
  let ranSoFar = 0;
  let passedOver = 0;
  let overlappedMs = 0;
  const interactions: Interaction[] = [];
  const stopReason = () =>
    shared.options.signal?.aborted ? 'aborted' : performance.now() > input.deadline() ? 'timedOut' : undefined;

  const launch = (before: Flight<C> | undefined, carried: readonly Op[]): Flight<C> => {
    const batch = queue.splice(0, atOnce);
    const records = batch.map((): StepRunRecord => ({ performed: [], violations: [] }));
    const names = batch.map((_, i) => `run-${ranSoFar + i + 1}`);
    ranSoFar += batch.length;
    let tell: (ops: readonly Op[]) => void = () => undefined;
    const healed = new Promise<readonly Op[]>((resolve) => (tell = resolve));
    const t0 = performance.now();
    const running = (input.runRound ?? runRound)(
      batch.map((d, i) => input.scenarioOf(names[i] as string, d.commands, records[i] as StepRunRecord)),
      input.reserve(batch.length),
      shared,
      { ...(before ? { faultsFrom: before.done } : {}), carried, onHealed: tell },
    );
    running.then(
      () => tell([]),
      () => tell([]),
    );
    const done = running.then((r) => ({ ...r, seconds: (performance.now() - t0) / 1000 }));
    // Awaited where it is judged; a round left running when the one before threw is awaited there too.
    done.catch(() => undefined);
    return { batch, names, records, healed, done, launchedAt: t0 };
  };

  /** Judges a round once it has ended; returns its failing sequences. */
  const judge = async (flight: Flight<C>, next: Flight<C> | undefined): Promise<RoundRun[]> => {
    const { outcomes, phasesMs, seconds, ...round } = await flight.done;
    if (next) overlappedMs += Math.max(0, performance.now() - next.launchedAt);
    passedOver += round.passedOver;
    return flight.batch
      .map((d, i) => ({
        index: d.index,
        name: flight.names[i] as string,
        outcome: outcomes[i] as ScenarioOutcome,
        record: flight.records[i] as StepRunRecord,
      }))
      .filter((run, i) => input.onRun(run, seconds, phasesMs, i === 0));
  };

  /** Re-runs a round's failures alone; whether one failed again (the drawing ends). */
  const tryEach = async (failing: RoundRun[], round: string[]): Promise<boolean> => {
    if (failing.length === 0) return false;
    // Each one only while the time limit allows: past it, a re-run alone would pass unrun.
    let triedAlone = false;
    for (const run of likeliestFirst(failing)) {
      const again = stopReason() ? undefined : await input.tryAlone(run);
      if (again === undefined) break;
      triedAlone = true;
      if (again) return true;
    }
    interactions.push({ runs: failing, round, triedAlone });
    return false;
  };

  let current: Flight<C> | undefined;
  let stop: string | undefined;
  for (;;) {
    const carried = current ? await current.healed : [];
    stop = queue.length > 0 ? stopReason() : undefined;
    const next = queue.length > 0 && !stop ? launch(current, carried) : undefined;
    if (!current) {
      if (!next) break;
      current = next;
      continue;
    }
    const failing = await judge(current, next).catch(async (caught: unknown) => {
      // A round that threw (a usage error) ends the drawing, but only once the round after it has ended too.
      await next?.done.catch(() => undefined);
      throw caught;
    });
    if (failing.length > 0) {
      // A failure is re-run alone with nothing else running: the round after it ends (and is judged) first.
      const alsoFailing = next ? await judge(next, undefined) : [];
      if ((await tryEach(failing, current.names)) || (next && (await tryEach(alsoFailing, next.names))))
        return { ended: true, timedOut: false, interactions, passedOver, overlappedMs };
      current = undefined;
    } else current = next;
  }
  return { ended: false, timedOut: stop === 'timedOut', interactions, passedOver, overlappedMs };
}

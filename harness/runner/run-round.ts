/**
 * A round: several scenarios run at once (explore's concurrent sequences), each on its own tenants,
 * with its own history, workload, final reads and checkers. What they share is the system, so the
 * faults are one nemesis for all: every fault action, whoever's step made it, is recorded in every
 * scenario's history (each checker excuses and judges by the windows really in effect), a start on
 * what is already under a fault changes nothing, each scenario heals only what it started (and all
 * of it when its workload ends), and work alone (a stampede's measurement) holds back every other
 * request and fault start (turns.ts). The lifecycle keeps run-scenario's, in step across the round:
 *   every setup → every workload at once → one heal once all have ended → every quiesce (settled
 *   from the last heal: no fault starts while any scenario is quiescing or reading) and final
 *   reads → each judged.
 * Rounds may overlap (`RoundFlow`): the next round sets up and runs its business steps while this
 * one quiesces and reads, once this one has healed. What keeps the judgement sound: the next round
 * starts no fault and measures nothing alone until this one has torn its faults down, and this
 * round's fault actions are copied first into the next round's histories, so the recovery budget
 * after this round's heal excuses the next round's first requests as it excuses this round's own.
 */
import { messageOf, UsageError } from '../core/errors.ts';
import type { QuiesceReport } from '../core/final-state.ts';
import type { Op } from '../core/op.ts';
import type { ScenarioLog } from '../core/history.ts';
import type { ScenarioOutcome } from '../core/outcome.ts';
import { Nemesis } from '../faults/nemesis.ts';
import type { FaultPackage } from '../faults/fault.ts';
import { runPhases } from '../workload/generators.ts';
import { PhaseClock } from './phase-clock.ts';
import { contextFor, judgeScenario, readFinal, settle } from './run-scenario.ts';
import type { Shared } from './run-types.ts';
import type { Scenario, ScenarioContext } from './scenario.ts';
import { Turns } from './turns.ts';

/** One scenario of the round, as it goes. */
interface Member {
  scenario: Scenario;
  ctx: ScenarioContext;
  clock: PhaseClock;
  started: number;
  error?: string;
}

/** Runs `work` for each member still without an error; an error (not a usage error) stays with its member. */
async function each(members: readonly Member[], work: (m: Member) => Promise<void>): Promise<void> {
  let usage: UsageError | undefined;
  await Promise.all(
    members
      .filter((m) => m.error === undefined)
      .map((m) =>
        work(m).catch((caught: unknown) => {
          m.error = messageOf(caught);
          if (caught instanceof UsageError) usage ??= caught;
        }),
      ),
  );
  // A scenario that cannot be set up as written is a usage error for the whole run (exit 64).
  if (usage) throw usage;
}

/** One package per fault (the round's scenarios name the same faults: each is set up once). */
function distinctPackages(packages: readonly FaultPackage[]): FaultPackage[] {
  const byKey = new Map(packages.map((p) => [`${p.fault.name}:${p.fault.target}`, p]));
  return [...byKey.values()];
}

/** How a round overlaps the round before and the round after it (none: it runs on its own). */
export interface RoundFlow {
  /** Settles when the round before has torn its faults down: no fault starts, nothing is measured alone, before. */
  faultsFrom?: Promise<unknown>;
  /** The round before's fault actions, copied first into every history here. */
  carried?: readonly Op[];
  /** Called once when this round has healed, with its own fault actions: the next round may start. */
  onHealed?: (faultOps: readonly Op[]) => void;
}

/**
 * Runs `scenarios` at once as the `firstIndex`th and following of the run; returns their outcomes
 * in order, the round's own time per phase (wall clock, not summed over its scenarios), and how many
 * fault starts were passed over because what they act on was already under a fault.
 */
export async function runRound(
  scenarios: readonly Scenario[],
  firstIndex: number,
  shared: Shared,
  flow: RoundFlow = {},
): Promise<{ outcomes: ScenarioOutcome[]; phasesMs: Record<string, number>; passedOver: number }> {
  const { options, history, env, system } = shared;
  const round = new PhaseClock('setup');
  const turns = new Turns();
  // Settled (never rejected) once the round before is done with its faults.
  const quietBefore = (flow.faultsFrom ?? Promise.resolve()).then(
    () => undefined,
    () => undefined,
  );
  let nemesis: Nemesis | undefined;
  const faultOps: Op[] = [];
  const injectAs =
    (owner: string): ScenarioContext['inject'] =>
    async (fault, action) => {
      if (!nemesis) throw new Error('faults can be injected only once the workload runs');
      const on = nemesis;
      const act = () => on.inject(fault, action, owner);
      // A stop (a restart may take seconds) ends a window, so it keeps no measurement waiting. A start
      // waits for the round before to be done, then takes a turn like a request: no fault starts
      // while a measurement runs alone.
      if (action !== 'start') return act();
      await quietBefore;
      await turns.run(false, act);
    };
  const members: Member[] = scenarios.map((scenario, i) => {
    const log = history.as(scenario.name);
    for (const op of flow.carried ?? []) log.appendAt(carriedOf(op), op.time);
    const ctx = contextFor(scenario, firstIndex + i, shared, injectAs(scenario.name), log);
    // A measurement alone counts what every tenant moves: it waits for the round before to end too.
    ctx.turn = async (alone, work) => {
      if (alone) await quietBefore;
      return turns.run(alone, work);
    };
    return { scenario, ctx, clock: new PhaseClock('setup'), started: performance.now() };
  });
  const signal = options.signal ?? new AbortController().signal;
  const progress = setInterval(
    () =>
      options.onProgress?.({
        scenario: `${scenarios[0]?.name ?? ''}…${scenarios.at(-1)?.name ?? ''}`,
        step: round.current,
        elapsedMs: round.spent()[round.current] ?? 0,
        ops: scenarios.reduce((sum, s) => sum + history.countOf(s.name), 0),
        faults: nemesis?.inEffect ?? [],
      }),
    1000,
  );
  try {
    await each(members, (m) => m.scenario.setup(m.ctx));
    const live = members.filter((m) => m.error === undefined);
    const first = live[0];
    if (first) {
      nemesis = new Nemesis(
        distinctPackages(live.flatMap((m) => m.scenario.faults(m.ctx))),
        { env, system, dir: first.ctx.dir, budgetsMs: first.ctx.finalState.parameters.retryBudgetsMs ?? {} },
        recordingInto(history.toEach(live.map((m) => m.scenario.name)), faultOps),
        first.ctx.random.fork('nemesis'),
        undefined,
        true,
      );
      await nemesis.setup();
      await roundTrip(live, nemesis, round, signal, () => flow.onHealed?.(faultOps));
    }
  } catch (caught) {
    if (nemesis) await nemesis.healAll().catch(() => undefined);
    if (caught instanceof UsageError) throw caught;
    for (const m of members) m.error ??= messageOf(caught);
  } finally {
    clearInterval(progress);
    await nemesis?.teardown().catch(() => undefined);
  }
  round.enter('check');
  const outcomes = members.map((m) =>
    judgeScenario(m.scenario, m.ctx, shared, { started: m.started, clock: m.clock, error: m.error }),
  );
  return { outcomes, phasesMs: round.spent(), passedOver: nemesis?.skipped ?? 0 };
}

/** A fault action of the round before, as copied here: without its place in a history, marked carried. */
function carriedOf({ process, type, f, value, error }: Op): Omit<Op, 'index' | 'time'> {
  return { process, type, f, value: { ...value, carried: true }, ...(error !== undefined ? { error } : {}) };
}

/** A sink that records into `sink` and keeps each op recorded in `kept`. */
function recordingInto(sink: Pick<ScenarioLog, 'append'>, kept: Op[]): Pick<ScenarioLog, 'append'> {
  return {
    append: (op) => {
      const recorded = sink.append(op);
      kept.push(recorded);
      return recorded;
    },
  };
}

/** Every workload at once, then one heal (`healed` is told), then every quiesce and final reads at once. */
async function roundTrip(
  live: Member[],
  nemesis: Nemesis,
  round: PhaseClock,
  signal: AbortSignal,
  healed: () => void,
): Promise<void> {
  round.enter('workload');
  for (const m of live) m.clock.enter('workload');
  const workloadStart = performance.now();
  const workloadsDone = new AbortController();
  try {
    await Promise.all([
      // A workload that ends heals what it started: its faults would only hold the others back.
      each(live, (m) =>
        runPhases(m.scenario.workload(m.ctx), {
          concurrency: m.ctx.concurrency,
          random: m.ctx.random.fork('workers'),
          signal,
        }).finally(() => nemesis.healOwnedBy(m.scenario.name)),
      ).finally(() => workloadsDone.abort()),
      nemesis.run(workloadStart, AbortSignal.any([signal, workloadsDone.signal])),
    ]);
  } finally {
    round.enter('heal');
    for (const m of live) m.clock.enter('heal');
    await nemesis.healAll();
  }
  if (signal.aborted) return;
  healed();
  round.enter('quiesce');
  const healedAt = nemesis.lastHealAt;
  const reports = new Map<Member, QuiesceReport>();
  await each(live, async (m) => void reports.set(m, await settle(m.scenario, m.ctx, m.clock, healedAt)));
  round.enter('final reads');
  await each(live, (m) => readFinal(m.scenario, m.ctx, m.clock, reports.get(m) as QuiesceReport));
}

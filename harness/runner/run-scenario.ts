/**
 * One scenario's lifecycle inside a run: setup → workload with the fault schedule → heal →
 * quiesce → final reads (a read through every API instance first) → check. Its final state (parameters and observations) is stored after it
 * in `final-state.json`, so `analyze` re-checks exactly what was judged; an abort (SIGINT) stops
 * the workload, heals, and still judges what was recorded, marked incomplete.
 */
import fs from 'node:fs';
import path from 'node:path';
import { messageOf, UsageError } from '../core/errors.ts';
import { emptyFinalState, type QuiesceReport } from '../core/final-state.ts';
import type { ScenarioLog } from '../core/history.ts';
import { checkScenario, type ScenarioOutcome } from '../core/outcome.ts';
import { Random } from '../core/random.ts';
import { Nemesis } from '../faults/nemesis.ts';
import { writeJson } from '../report/run-dir.ts';
import { CpqClient } from '../system/cpq-client.ts';
import { drain, probeInstances, quiesce } from '../workload/final-reads.ts';
import { componentsDown, componentsRunning } from '../system/components-running.ts';
import { runPhases } from '../workload/generators.ts';
import { Operations } from '../workload/operations.ts';
import type { Progress, Shared } from './run-types.ts';
import { scenarioReplay } from './replay-line.ts';
import { PhaseClock } from './phase-clock.ts';
import { parametersFor, type Scenario, type ScenarioContext } from './scenario.ts';

/** The scenario's tenants: unique to the run (and to the scenario's place in it). */
export function tenantsOf(scenario: Pick<Scenario, 'tenants'>, runId: string, index: number): string[] {
  const tag = runId.replace(/[^A-Za-z0-9]/g, '').slice(-10);
  return Array.from({ length: scenario.tenants }, (_, i) => `s${index}-${tag}-t${i}`);
}

/** The context `scenario` runs in as the `index`th of the run, recording into `history`. */
export function contextFor(
  scenario: Scenario,
  index: number,
  shared: Shared,
  inject: ScenarioContext['inject'],
  history: ScenarioLog = shared.history,
): ScenarioContext {
  const { options, env, system } = shared;
  const dir = path.join(shared.dir, 'scenarios', scenario.name);
  fs.mkdirSync(dir, { recursive: true });
  const apiUrls = system.apiUrls;
  const ctx: ScenarioContext = {
    scenario: scenario.name,
    seed: options.seed,
    random: new Random(options.seed).fork(scenario.name),
    history,
    env,
    system,
    reads: system.reads,
    tenants: tenantsOf(scenario, shared.runId, index),
    apiUrls,
    concurrency: options.concurrency ?? scenario.concurrency,
    timeLimitMs: (options.timeLimitS ?? scenario.timeLimitS) * 1000,
    signal: options.signal ?? new AbortController().signal,
    ops: (process, instance, timeoutMs) => {
      const url = apiUrls[(instance ?? (typeof process === 'number' ? process : 0)) % apiUrls.length] as string;
      const client = (tenant: string) => new CpqClient(url, tenant, timeoutMs ?? 5000);
      return new Operations(history, process, client, timeoutMs, ctx.turn);
    },
    inject,
    dir,
    finalState: emptyFinalState(parametersFor(options.system, scenario)),
    state: new Map(),
    status: () => undefined,
  };
  return ctx;
}

/** Runs one scenario end to end and judges it. */
export async function runScenario(scenario: Scenario, index: number, shared: Shared): Promise<ScenarioOutcome> {
  const { options, history, env, system } = shared;
  const started = performance.now();
  history.scenario = scenario.name;
  let nemesis: Nemesis | undefined;
  const ctx = contextFor(scenario, index, shared, async (fault, action) => {
    if (!nemesis) throw new Error('faults can be injected only once the workload runs');
    await nemesis.inject(fault, action);
  });
  const { signal } = ctx;
  const clock = new PhaseClock('setup');
  let detail: string | undefined;
  ctx.status = (text) => {
    detail = text;
  };
  const progressOf = (): Progress => ({
    scenario: scenario.name,
    step: clock.current,
    elapsedMs: performance.now() - started,
    ops: history.countOf(scenario.name),
    faults: nemesis?.inEffect ?? [],
    ...(detail !== undefined ? { detail } : {}),
  });
  const progress = setInterval(() => options.onProgress?.(progressOf()), 1000);
  let error: string | undefined;
  try {
    await scenario.setup(ctx);
    const budgetsMs = ctx.finalState.parameters.retryBudgetsMs ?? {};
    nemesis = new Nemesis(
      scenario.faults(ctx),
      { env, system, dir: ctx.dir, budgetsMs },
      history,
      ctx.random.fork('nemesis'),
    );
    await nemesis.setup();
    clock.enter('workload');
    const workloadStart = performance.now();
    const workloadDone = new AbortController();
    try {
      await Promise.all([
        runPhases(scenario.workload(ctx), {
          concurrency: ctx.concurrency,
          random: ctx.random.fork('workers'),
          signal,
        }).finally(() => workloadDone.abort()),
        nemesis.run(workloadStart, AbortSignal.any([signal, workloadDone.signal])),
      ]);
    } finally {
      clock.enter('heal');
      await nemesis.healAll();
    }
    if (!signal.aborted) {
      const report = await settle(scenario, ctx, clock, nemesis.lastHealAt);
      await readFinal(scenario, ctx, clock, report);
    }
  } catch (caught) {
    error = messageOf(caught);
    if (nemesis) await nemesis.healAll().catch(() => undefined);
    // A scenario that cannot be set up as written (an unknown failpoint, a missing component) is a
    // usage error for the whole run (exit 64), not a verdict.
    if (caught instanceof UsageError) throw caught;
  } finally {
    clearInterval(progress);
    await nemesis?.teardown().catch(() => undefined);
  }
  return judgeScenario(scenario, ctx, shared, { started, clock, error });
}

/** Whether the scenario's checkers judge the consumers' ledger (delivery is then waited for and read). */
const readsLedger = (scenario: Scenario) => scenario.checkers.some((c) => c.observes?.includes('ledger'));

/**
 * Quiesce: waits until what the checkers need has settled (their settle times, and their time after
 * the last heal, `healedAt`); returns what it waited for.
 */
export async function settle(
  scenario: Scenario,
  ctx: ScenarioContext,
  clock: PhaseClock,
  healedAt: number | undefined,
): Promise<QuiesceReport> {
  clock.enter('quiesce');
  const settleMs = Math.max(0, ...scenario.checkers.map((c) => c.settleMs?.(ctx.finalState) ?? 0));
  const afterHealMs = Math.max(0, ...scenario.checkers.map((c) => c.settleAfterHealMs?.(ctx.finalState) ?? 0));
  const atStart = componentsRunning(ctx.system.components);
  const settled = await quiesce(ctx.reads, ctx.tenants, ctx.history.opsOf(scenario.name), {
    settleMs: settleMs + 500,
    ...(healedAt !== undefined && afterHealMs > 0 ? { settleUntil: healedAt + afterHealMs + 250 } : {}),
    delivery: readsLedger(scenario),
  });
  const down = componentsDown(atStart, componentsRunning(ctx.system.components));
  const report: QuiesceReport = {
    ...settled,
    componentsChecked: atStart.size,
    ...(down.length > 0 ? { componentsDown: down } : {}),
  };
  ctx.finalState.observations.quiesce = report;
  return report;
}

/** Final reads, once settled (`report`): the scenario's own, a probe through every instance, then the tables. */
export async function readFinal(
  scenario: Scenario,
  ctx: ScenarioContext,
  clock: PhaseClock,
  report: QuiesceReport,
): Promise<void> {
  const ledger = readsLedger(scenario);
  clock.enter('final reads');
  // The scenario's own final reads first: what they compare (e.g. hostile input's footprint)
  // must not count the probe's command.
  await scenario.finalReads(ctx);
  await probeInstances(ctx);
  // The probe's command commits an event: it drains like the workload's before anything is read.
  await drain(ctx.reads, ctx.tenants, { outboxMs: 5_000, delivery: ledger, deliveryMs: 5_000 });
  ctx.finalState.observations.quotes = await ctx.reads.quotes(ctx.tenants);
  ctx.finalState.observations.orders = await ctx.reads.orders(ctx.tenants);
  if (ledger) {
    const read = await ctx.reads.ledger(ctx.tenants);
    ctx.finalState.observations.ledger = report.drainMs !== undefined ? { ...read, drainMs: report.drainMs } : read;
  }
}

/** Stores the scenario's final state (for `analyze`) and judges what it recorded. */
export function judgeScenario(
  scenario: Scenario,
  ctx: ScenarioContext,
  shared: Shared,
  run: { started: number; clock: PhaseClock; error: string | undefined },
): ScenarioOutcome {
  const { options } = shared;
  shared.finalStates[scenario.name] = ctx.finalState;
  writeJson(path.join(shared.dir, 'final-state.json'), shared.finalStates);
  const incomplete = ctx.signal.aborted || run.error !== undefined;
  run.clock.enter('check');
  const checked = checkScenario(scenario, ctx.history.opsOf(scenario.name), ctx.finalState, incomplete);
  return {
    ...checked,
    phasesMs: run.clock.spent(),
    seed: options.seed,
    durationMs: Math.round(performance.now() - run.started),
    replay: scenarioReplay(scenario.name, options),
    ...(incomplete ? { incomplete } : {}),
    ...(run.error ? { error: run.error } : {}),
  };
}

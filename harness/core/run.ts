/**
 * `run`: the lifecycle of a run of one or more scenarios.
 *
 *   1. write `run.json` (options, seed, bugs, versions, git sha) and open `history.jsonl`
 *   2. start the environment (or use the one `env up` started) and the reference system, once per
 *      run; scenarios share them and never each other's tenants
 *   3. per scenario: setup → workload with the fault schedule → heal → quiesce → final reads →
 *      check; its final state is stored (`final-state.json`) so `analyze` can re-check it
 *   4. stop the system and (if it is ours) the environment — also when interrupted or broken
 *   5. write the reports (results, summary, JUnit, Markdown, HTML)
 *
 * One seed drives every random choice: each scenario's stream is `seed/<scenario>`, forked per
 * purpose (workers, faults). An abort (SIGINT) stops the workload, heals, and still writes the
 * history and a summary marked incomplete.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { stalenessBudgetMs } from '../checkers/bounded-staleness.ts';
import { CHECKERS } from '../checkers/index.ts';
import { startEnvironment, type Environment } from '../env/environment.ts';
import { messageOf } from '../env/errors.ts';
import type { FaultPackage } from '../faults/fault.ts';
import { Nemesis } from '../faults/nemesis.ts';
import { writeReports } from '../report/write-reports.ts';
import { createRunDir, provenance, writeJson, type RunInfo } from '../report/run-dir.ts';
import { ReferenceSystem } from '../system/reference-system.ts';
import { CpqClient } from '../workload/cpq-client.ts';
import { quiesce, readQuotes } from '../workload/final-reads.ts';
import { runPhases } from '../workload/generators.ts';
import { Operations } from '../workload/operations.ts';
import { runChecker } from './checker.ts';
import type { Op } from './op.ts';
import { HistoryWriter } from './history.ts';
import {
  countOps,
  faultsOf,
  runValidity,
  scenarioValidity,
  type RunOutcome,
  type ScenarioOutcome,
  type StoredFinalState,
} from './outcome.ts';
import { Random } from './random.ts';
import type { Scenario, ScenarioContext } from './scenario.ts';

export interface RunOptions {
  scenarios: Scenario[];
  seed: number;
  bugs: string[];
  /** Overrides each scenario's workload length (s). */
  timeLimitS?: number;
  /** Overrides each scenario's workers. */
  concurrency?: number;
  /** Where run directories go (`reports` by default). */
  outRoot: string;
  /** `run` or `gate` (recorded, and used in the replay line). */
  command: 'run' | 'gate';
  /** An environment already up (from `env up`); without it the run starts and stops its own. */
  env?: Environment;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** What the progress line shows. */
export interface Progress {
  scenario: string;
  step: string;
  elapsedMs: number;
  ops: number;
  faults: string[];
}

/** The command line that runs one scenario again with the same seed, options and bugs. */
export function scenarioReplay(name: string, options: RunOptions): string {
  return [
    'npx cpqchaos run',
    name,
    `--seed ${options.seed}`,
    options.bugs.length ? `--bugs ${options.bugs.join(',')}` : '',
    options.timeLimitS !== undefined ? `--time-limit ${options.timeLimitS}` : '',
    options.concurrency !== undefined ? `--concurrency ${options.concurrency}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function tenantsOf(scenario: Scenario, runId: string, index: number): string[] {
  const tag = runId.replace(/[^A-Za-z0-9]/g, '').slice(-10);
  return Array.from({ length: scenario.tenants }, (_, i) => `s${index}-${tag}-t${i}`);
}

interface Shared {
  options: RunOptions;
  runId: string;
  dir: string;
  history: HistoryWriter;
  env: Environment;
  system: ReferenceSystem;
  db: pg.Pool;
  finalStates: StoredFinalState;
}

async function runScenario(scenario: Scenario, index: number, shared: Shared): Promise<ScenarioOutcome> {
  const { options, history, env, system, db } = shared;
  const started = performance.now();
  const random = new Random(options.seed).fork(scenario.name);
  const signal = options.signal ?? new AbortController().signal;
  const dir = path.join(shared.dir, 'scenarios', scenario.name);
  fs.mkdirSync(dir, { recursive: true });
  history.scenario = scenario.name;
  const apiUrls = system.apiUrls;
  let nemesis: Nemesis | undefined;
  const ctx: ScenarioContext = {
    scenario: scenario.name,
    seed: options.seed,
    random,
    history,
    env,
    system,
    db,
    tenants: tenantsOf(scenario, shared.runId, index),
    apiUrls,
    concurrency: options.concurrency ?? scenario.concurrency,
    timeLimitMs: (options.timeLimitS ?? scenario.timeLimitS) * 1000,
    signal,
    ops: (process, instance) => {
      const url = apiUrls[(instance ?? (typeof process === 'number' ? process : 0)) % apiUrls.length] as string;
      return new Operations(history, process, (tenant) => new CpqClient(url, tenant, 5000));
    },
    inject: async (fault, action) => {
      if (!nemesis) throw new Error('faults can be injected only once the workload runs');
      await nemesis.inject(fault, action);
    },
    dir,
    finalState: { ...scenario.parameters },
    state: new Map(),
  };
  let step = 'setup';
  const progress = setInterval(
    () =>
      options.onProgress?.({
        scenario: scenario.name,
        step,
        elapsedMs: performance.now() - started,
        ops: history.opsOf(scenario.name).length,
        faults: nemesis?.inEffect ?? [],
      }),
    1000,
  );
  let error: string | undefined;
  try {
    await scenario.setup(ctx);
    const packages: FaultPackage[] = scenario.faults(ctx);
    nemesis = new Nemesis(packages, { env, system, dir }, history, random.fork('nemesis'));
    await nemesis.setup();
    step = 'workload';
    const workloadStart = performance.now();
    const workloadDone = new AbortController();
    try {
      await Promise.all([
        runPhases(scenario.workload(ctx), {
          concurrency: ctx.concurrency,
          random: random.fork('workers'),
          signal,
        }).finally(() => workloadDone.abort()),
        nemesis.run(workloadStart, AbortSignal.any([signal, workloadDone.signal])),
      ]);
    } finally {
      step = 'heal';
      await nemesis.healAll();
    }
    if (!signal.aborted) {
      step = 'quiesce';
      ctx.finalState.quiesce = await quiesce(
        db,
        env.endpoints.services.redis.directUrl,
        ctx.tenants,
        history.opsOf(scenario.name),
        { settleMs: stalenessBudgetMs(ctx.finalState) + 500 },
      );
      step = 'final reads';
      await scenario.finalReads(ctx);
      ctx.finalState.quotes = await readQuotes(db, ctx.tenants);
    }
  } catch (caught) {
    error = messageOf(caught);
    if (nemesis) await nemesis.healAll().catch(() => undefined);
  } finally {
    clearInterval(progress);
    await nemesis?.teardown().catch(() => undefined);
  }
  shared.finalStates[scenario.name] = ctx.finalState;
  writeJson(path.join(shared.dir, 'final-state.json'), shared.finalStates);
  const incomplete = signal.aborted || error !== undefined;
  return {
    ...checkScenario(scenario, history.opsOf(scenario.name), ctx.finalState, incomplete),
    seed: options.seed,
    durationMs: Math.round(performance.now() - started),
    replay: scenarioReplay(scenario.name, options),
    ...(incomplete ? { incomplete } : {}),
    ...(error ? { error } : {}),
  };
}

/** Runs a scenario's checkers on its history and final state. */
export function checkScenario(
  scenario: Pick<Scenario, 'name' | 'checkers'>,
  ops: readonly Op[],
  finalState: Record<string, unknown>,
  incomplete: boolean,
): Pick<ScenarioOutcome, 'name' | 'valid' | 'ops' | 'faults' | 'checkers'> {
  const checkers = scenario.checkers.map((name) => {
    const checker = CHECKERS.get(name);
    if (!checker)
      return { name, valid: 'unknown' as const, anomalies: [], stats: {}, reason: `no checker named ${name}` };
    return { name, ...runChecker(checker, ops, finalState) };
  });
  return {
    name: scenario.name,
    valid: scenarioValidity(checkers, incomplete),
    ops: countOps(ops),
    faults: faultsOf(ops),
    checkers,
  };
}

/**
 * Runs the scenarios end to end and writes the run directory; resolves with the outcome (an
 * infrastructure failure is in `outcome.error`, with whatever was recorded before it).
 */
export async function run(options: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  const { runId, dir } = createRunDir(options.outRoot, startedAt, options.seed);
  const info: RunInfo = {
    runId,
    command: options.command,
    scenarios: options.scenarios.map((s) => s.name),
    seed: options.seed,
    bugs: options.bugs,
    ...(options.timeLimitS !== undefined ? { timeLimitS: options.timeLimitS } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    startedAt: startedAt.toISOString(),
  };
  writeJson(path.join(dir, 'run.json'), { ...info, ...provenance() });
  const history = new HistoryWriter(path.join(dir, 'history.jsonl'));
  const outcomes: ScenarioOutcome[] = [];
  let runError: string | undefined;
  const ownEnv = options.env === undefined;
  let env: Environment | undefined = options.env;
  let system: ReferenceSystem | undefined;
  let db: pg.Pool | undefined;
  try {
    options.onProgress?.({ scenario: '-', step: 'starting the environment', elapsedMs: 0, ops: 0, faults: [] });
    env ??= await startEnvironment();
    options.onProgress?.({ scenario: '-', step: 'starting the reference system', elapsedMs: 0, ops: 0, faults: [] });
    system = await ReferenceSystem.start({
      endpoints: env.endpoints,
      bugs: options.bugs,
      instances: Math.max(...options.scenarios.map((s) => s.instances)),
      dir: path.join(dir, 'system'),
      logLevel: 'warn',
    });
    db = new pg.Pool({ connectionString: env.endpoints.services.postgres.directUrl, max: 4 });
    db.on('error', () => undefined);
    const shared: Shared = { options, runId, dir, history, env, system, db, finalStates: {} };
    for (const [i, scenario] of options.scenarios.entries()) {
      if (options.signal?.aborted) break;
      outcomes.push(await runScenario(scenario, i, shared));
    }
  } catch (error) {
    runError = messageOf(error);
  } finally {
    await system?.stop().catch(() => undefined);
    await db?.end().catch(() => undefined);
    if (ownEnv) await env?.stop().catch(() => undefined);
    history.close();
  }
  const incomplete =
    runError !== undefined ||
    options.signal?.aborted === true ||
    outcomes.length < options.scenarios.length ||
    outcomes.some((o) => o.incomplete);
  const outcome: RunOutcome = {
    runId,
    dir,
    valid: runValidity(outcomes, incomplete),
    seed: options.seed,
    bugs: options.bugs,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    incomplete,
    scenarios: outcomes,
    replay: `npx cpqchaos replay ${path.relative(process.cwd(), dir) || dir}`,
    ...(runError ? { error: runError } : {}),
  };
  writeReports(outcome, history.history);
  return outcome;
}

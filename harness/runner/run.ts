/**
 * `run`: the lifecycle of a run of one or more scenarios — the only place that knows the order of
 * things.
 *
 *   0. preflight: bugs and every scenario's requirements against the system (exit 64, nothing started)
 *   1. write `run.json` (options, seed, bugs, each scenario's parameters, versions, git sha) and
 *      open `history.jsonl`
 *   2. start the environment (or use the one `env up` started) and the system under test, once per
 *      run; scenarios share them and never each other's tenants
 *   3. per scenario (run-scenario.ts): setup → workload with the fault schedule → heal → quiesce →
 *      final reads → check; its final state is stored so `analyze` can re-check it
 *   4. stop the system and (if it is ours) the environment — also when interrupted or broken
 *   5. write the reports (results, summary, JUnit, Markdown, HTML)
 *
 * One seed drives every random choice: each scenario's stream is `seed/<scenario>`, forked per
 * purpose (workers, faults). An abort (SIGINT) stops the workload, heals, and still writes the
 * history and a summary marked incomplete.
 */
import path from 'node:path';
import { messageOf, UsageError } from '../core/errors.ts';
import { HistoryWriter } from '../core/history.ts';
import { runValidity, type RunOutcome, type ScenarioOutcome } from '../core/outcome.ts';
import { startEnvironment, type Environment } from '../env/environment.ts';
import { startWatchdog, type Watchdog } from '../env/watchdog.ts';
import { createRunDir, writeJson, type RunInfo } from '../report/run-dir.ts';
import { writeReports } from '../report/write-reports.ts';
import type { StartedSystem } from '../system/system.ts';
import { instancesFor, needsClock, needsFailpoints, preflight } from './preflight.ts';
import { provenance } from './provenance.ts';
import { runScenario } from './run-scenario.ts';
import type { RunOptions, Shared } from './run-types.ts';
import { parametersFor } from './scenario.ts';

/**
 * Runs the scenarios end to end and writes the run directory; resolves with the outcome (an
 * infrastructure failure is in `outcome.error`, with whatever was recorded before it). Throws a
 * `UsageError` before anything starts when the system cannot serve the scenarios or bugs.
 */
export async function run(options: RunOptions): Promise<RunOutcome> {
  preflight(options.system, options.scenarios, options.bugs, options.timeLimitS);
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
    system: options.system.name,
    ...(options.system.source ? { systemFile: options.system.source } : {}),
    parameters: Object.fromEntries(options.scenarios.map((s) => [s.name, parametersFor(options.system, s)])),
  };
  writeJson(path.join(dir, 'run.json'), { ...info, ...options.recorded, ...provenance() });
  const history = new HistoryWriter(path.join(dir, 'history.jsonl'), { retain: options.retainHistory ?? true });
  const outcomes: ScenarioOutcome[] = [];
  let runError: string | undefined;
  let usageError: UsageError | undefined;
  const ownEnv = options.env === undefined;
  let env: Environment | undefined = options.env;
  let system: StartedSystem | undefined;
  const starting = (step: string) => options.onProgress?.({ scenario: '-', step, elapsedMs: 0, ops: 0, faults: [] });
  let healer: Watchdog | undefined;
  try {
    starting('starting the environment');
    env ??= await startEnvironment(options.backend ? { backend: options.backend } : {});
    const recordRun = (systemImages: string[] = []) =>
      writeJson(path.join(dir, 'run.json'), {
        ...info,
        ...options.recorded,
        ...provenance(),
        backend: env?.endpoints.backend,
        ...(env?.endpoints.docker
          ? {
              images: {
                ...env.endpoints.docker.images,
                ...(systemImages.length ? { system: systemImages.join(',') } : {}),
              },
            }
          : {}),
      });
    recordRun();
    // An environment `env up` keeps outliving us: if we die mid-fault, its faults are healed anyway.
    if (!ownEnv)
      healer = startWatchdog({
        label: `faults of run ${runId}`,
        resume: [path.join(env.dir, 'pids')],
        toxiproxyUrl: env.endpoints.services.toxiproxy.url,
        logFile: path.join(dir, 'watchdog.log'),
      });
    starting(`starting the ${options.system.name}`);
    system = await options.system.start({
      endpoints: env.endpoints,
      bugs: options.bugs,
      instances: instancesFor(options.scenarios),
      failpoints: needsFailpoints(options.scenarios),
      clock: needsClock(options.scenarios),
      dir: path.join(dir, 'system'),
      logLevel: 'warn',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const systemImages = new Set(system.describe().components.flatMap((c) => (c.image ? [c.image] : [])));
    if (systemImages.size) recordRun([...systemImages]);
    const shared: Shared = { options, runId, dir, history, env, system, finalStates: {} };
    if (options.drive) await options.drive(shared, outcomes);
    else
      for (const [i, scenario] of options.scenarios.entries()) {
        if (options.signal?.aborted) break;
        outcomes.push(await runScenario(scenario, i, shared));
      }
  } catch (error) {
    runError = messageOf(error);
    if (error instanceof UsageError) usageError = error;
  } finally {
    await system?.stop().catch(() => undefined);
    if (ownEnv) await env?.stop().catch(() => undefined);
    healer?.release();
    history.close();
  }
  const incomplete =
    runError !== undefined ||
    options.signal?.aborted === true ||
    (!options.drive && outcomes.length < options.scenarios.length) ||
    outcomes.some((o) => o.incomplete);
  const outcome: RunOutcome = {
    runId,
    dir,
    valid: (options.judge ?? runValidity)(outcomes, incomplete),
    seed: options.seed,
    bugs: options.bugs,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    incomplete,
    scenarios: outcomes,
    replay: `npx cpqchaos replay ${path.relative(process.cwd(), dir) || dir}`,
    ...(runError ? { error: runError } : {}),
    ...(options.sequences ? { sequences: [...options.sequences()] } : {}),
  };
  writeReports(outcome, history.history, options.sections);
  if (usageError) throw usageError; // after the report: what ran is kept
  return outcome;
}

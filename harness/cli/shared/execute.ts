/**
 * Runs scenarios for every command that runs them (`run`, `gate`, `replay`, `explore`, `load`,
 * `gameday`): against the system under test and the
 * environment `env up` left running (or its own), with a progress line, SIGINT/SIGTERM handling
 * (heal, write what was recorded, exit 130; a second signal quits at once), and the verdict printed.
 */
import { setMaxListeners } from 'node:events';
import type { ModeRun } from '../../modes/mode.ts';
import type { RunOptions } from '../../runner/run-types.ts';
import type { SystemUnderTest } from '../../system/system.ts';
import { run } from '../../runner/run.ts';
import { progressPrinter } from './progress.ts';
import { attachRunningEnvironment, SYSTEM } from './system.ts';
import { INTERRUPTED, reportVerdict } from './verdict.ts';

/**
 * Runs with a progress line and SIGINT handling; returns the exit code. `planned` names what runs
 * when the scenario list is not it (an exploration draws its runs as it goes: no total is shown).
 */
export async function execute(
  label: string,
  options: Omit<RunOptions, 'signal' | 'onProgress' | 'env' | 'system'> & { system?: SystemUnderTest },
  brief = false,
  planned?: string,
): Promise<number> {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // every sleeping worker listens for the abort
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(INTERRUPTED);
    process.stderr.write(
      `\ncpqchaos: interrupted — healing faults and writing what was recorded (again to quit now)\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = progressPrinter(label, planned === undefined ? options.scenarios.length : undefined);
  process.stderr.write(
    `${label}: ${planned ?? options.scenarios.map((s) => s.name).join(', ')} · seed ${options.seed}${options.bugs.length ? ` · bugs ${options.bugs.join(',')}` : ''}\n`,
  );
  try {
    const env = await attachRunningEnvironment();
    const outcome = await run({
      ...options,
      system: options.system ?? SYSTEM,
      ...(env ? { env } : {}),
      signal: controller.signal,
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    return reportVerdict(label, outcome, controller.signal.aborted, brief);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Executes a mode's run, prints what the mode says of it, and releases what the mode holds. */
export async function executeMode(
  label: string,
  mode: ModeRun,
  where: Pick<RunOptions, 'outRoot' | 'backend'> & { system?: SystemUnderTest },
): Promise<number> {
  try {
    const result = mode.finish(await execute(label, { ...mode.options, ...where }, mode.brief, mode.planned));
    if (result.text) process.stdout.write(result.text);
    if (result.warning) process.stderr.write(result.warning);
    return result.code;
  } finally {
    mode.close?.();
  }
}

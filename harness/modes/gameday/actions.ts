/**
 * Runs a runbook action: a zx script beside the plan, with the running drill's URLs in its
 * environment (the same it finds in `.cpqchaos/gameday.json` when an operator runs it by hand).
 * Its exit code and last lines are kept; every run is a mark on the timeline.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ActionRun } from '../../core/gameday.ts';
import type { LiveGameday } from './live.ts';
import type { GamedayPlan, RunbookAction } from './plan-types.ts';

/** The action of the runbook named `name` (safe first), and whether the runbook calls it unsafe. */
export function actionOf(plan: GamedayPlan, name: string): { action: RunbookAction; unsafe: boolean } | undefined {
  const safe = plan.runbook.safeActions.find((a) => a.name === name);
  if (safe) return { action: safe, unsafe: false };
  const unsafe = plan.runbook.unsafeActions.find((a) => a.name === name);
  return unsafe ? { action: unsafe, unsafe: true } : undefined;
}

/** Runs the script (killed after `timeoutMs`); resolves with what it did. */
export function runAction(
  plan: GamedayPlan,
  name: string,
  live: LiveGameday,
  atMs: number,
  timeoutMs = 60_000,
): Promise<ActionRun> {
  const found = actionOf(plan, name);
  const script = found?.action.script;
  if (!found || !script)
    return Promise.resolve({
      name,
      atMs,
      exitCode: null,
      output: 'no script for this action',
      unsafe: found?.unsafe ?? false,
    });
  const file = path.resolve(path.dirname(plan.file), script);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...(found.action.args ?? [])], {
      env: {
        ...process.env,
        CPQCHAOS_GAMEDAY: JSON.stringify(live),
        CPQCHAOS_ACTION_BY: 'drill',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = output.trim().split('\n').slice(-5).join('\n');
      resolve({ name, atMs, exitCode: code, output: lines, unsafe: found.unsafe });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ name, atMs, exitCode: null, output: error.message, unsafe: found.unsafe });
    });
  });
}

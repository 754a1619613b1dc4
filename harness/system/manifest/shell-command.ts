/**
 * Runs an ability's shell command (`docker kill cpq-api-1`, `kubectl delete pod …`) for a component
 * the harness did not start: `/bin/sh -c`, its own process group, a timeout after which that group
 * (and only it) is killed. Resolves with what happened, for the history; rejects on a non-zero exit
 * or a timeout with the command's last output.
 */
import { spawn } from 'node:child_process';
import { InfraError } from '../../core/errors.ts';

/** One command's run: what was run, how it ended and the tail of its output. */
export interface CommandRecord {
  command: string;
  exitCode: number | null;
  ms: number;
  output: string;
}

const TAIL = 2000;

/**
 * Runs `command` with `timeoutMs` in `cwd`, with `CPQCHAOS_CWD` set to where cpqchaos runs (where
 * `.cpqchaos/env.json` is); resolves on exit 0, rejects with an `InfraError` otherwise.
 */
export function runShellCommand(command: string, timeoutMs: number, cwd: string): Promise<CommandRecord> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CPQCHAOS_CWD: process.cwd() },
    });
    let output = '';
    const take = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-TAIL));
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new InfraError(`\`${command}\` could not run: ${error.message}`));
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const record = { command, exitCode, ms: Math.round(performance.now() - started), output: output.trim() };
      if (exitCode === 0 && !timedOut) return resolve(record);
      const why = timedOut ? `did not finish within ${timeoutMs} ms` : `exited with ${exitCode ?? 'a signal'}`;
      reject(
        new InfraError(
          `\`${command}\` ${why}${record.output ? `: ${record.output.split('\n').slice(-3).join(' | ')}` : ''}`,
        ),
      );
    });
  });
}

/**
 * Runs a provisioning or set-up command to completion and captures its output; a failure becomes an
 * `InfraError` quoting the command's last lines.
 */
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { InfraError } from '../core/errors.ts';

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  user?: { uid: number; gid: number };
  /** Remedy printed when the command fails. */
  remedy?: string;
}

/** Runs `command args…`; resolves with stdout, rejects with an `InfraError` on non-zero exit. */
export function exec(command: string, args: string[], options: ExecOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new InfraError(`${command} could not be run: ${error.code ?? error.message}`, options.remedy)),
    );
    child.once('close', (code, signal) => {
      if (code === 0) return resolve(stdout);
      const tail = output.trimEnd().split('\n').slice(-6).join('\n');
      reject(
        new InfraError(
          `${command} ${args.slice(0, 3).join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail}`,
          options.remedy,
        ),
      );
    });
  });
}

/** Absolute path of `name` on PATH, or undefined. */
export async function which(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

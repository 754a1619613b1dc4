/**
 * `.cpqchaos/env.json`: the endpoints of the environment `env up` started from a project dir, read
 * by `env status`, `env down`, `serve` and `run` to find it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EnvironmentEndpoints } from './endpoints.ts';
import { envStateFile } from './paths.ts';

/** The recorded endpoints, or undefined when no state file exists or it cannot be read. */
export function readEnvState(cwd?: string): EnvironmentEndpoints | undefined {
  try {
    return JSON.parse(fs.readFileSync(envStateFile(cwd), 'utf8')) as EnvironmentEndpoints;
  } catch {
    return undefined;
  }
}

export function writeEnvState(endpoints: EnvironmentEndpoints, cwd?: string): void {
  const file = envStateFile(cwd);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(endpoints, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

export function removeEnvState(cwd?: string): void {
  fs.rmSync(envStateFile(cwd), { force: true });
}

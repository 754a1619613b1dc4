/**
 * Which system and environment the CLI works with: the system under test (the reference CPQ/OMS,
 * or the one `--system` describes — where a command learns its bugs, failpoints and components), the environment
 * `env up` left running, and where `serve` describes the running system.
 */
import path from 'node:path';
import { attachEnvironment, environmentUp } from '../../env/attach.ts';
import type { Environment } from '../../env/environment.ts';
import { stateDir } from '../../env/paths.ts';
import { readEnvState } from '../../env/state-file.ts';
import { loadSystem } from '../../system/load-system.ts';
import { referenceSystem } from '../../system/reference-system.ts';
import type { SystemUnderTest } from '../../system/system.ts';

/** The built-in system under test: the reference CPQ/OMS (what help texts name). */
export const SYSTEM: SystemUnderTest = referenceSystem;

/** The `--system` line of every help text that starts a system. */
export const SYSTEM_HELP = `  --system FILE     your CPQ/OMS: a manifest (.yaml, .json) or a module (.ts, .js) exporting a
                    SystemUnderTest (default: the built-in reference CPQ/OMS; docs/your-system.md)`;

/** The system `--system FILE` describes, or the reference CPQ/OMS. */
export async function systemFrom(file: string | undefined): Promise<SystemUnderTest> {
  return file === undefined ? SYSTEM : loadSystem(file);
}

/** Reattaches to the environment `env up` started from this directory, if it is fully up. */
export async function attachRunningEnvironment(): Promise<Environment | undefined> {
  const existing = readEnvState();
  return existing && (await environmentUp(existing.dir)) ? attachEnvironment(existing.dir) : undefined;
}

/** `.cpqchaos/system.json`, written by `serve` once the system is ready. */
export function systemStateFile(cwd?: string): string {
  return path.join(stateDir(cwd), 'system.json');
}

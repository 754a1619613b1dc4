/**
 * Which system and environment the CLI works with: the system under test (today the reference
 * CPQ/OMS; the one place a command learns its bugs, failpoints and components), the environment
 * `env up` left running, and where `serve` describes the running system.
 */
import path from 'node:path';
import { attachEnvironment, environmentUp } from '../../env/attach.ts';
import type { Environment } from '../../env/environment.ts';
import { stateDir } from '../../env/paths.ts';
import { readEnvState } from '../../env/state-file.ts';
import { referenceSystem } from '../../system/reference-system.ts';
import type { SystemUnderTest } from '../../system/system.ts';

/** The system under test every command runs against. */
export const SYSTEM: SystemUnderTest = referenceSystem;

/** Reattaches to the environment `env up` started from this directory, if it is fully up. */
export async function attachRunningEnvironment(): Promise<Environment | undefined> {
  const existing = readEnvState();
  return existing && (await environmentUp(existing.dir)) ? attachEnvironment(existing.dir) : undefined;
}

/** `.cpqchaos/system.json`, written by `serve` once the system is ready. */
export function systemStateFile(cwd?: string): string {
  return path.join(stateDir(cwd), 'system.json');
}

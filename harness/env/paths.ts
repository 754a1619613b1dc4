/**
 * Where the environment keeps things: the provisioning cache (shared, survives runs), the root of
 * per-environment data dirs (disposable), and the project-local state dir `.cpqchaos/`.
 *
 * Every location can be moved with an environment variable so tests and benchmarks can use a
 * cold cache without touching the user's.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The cpqchaos package's own directory (where `reference-impl/`, `scenarios/` and `bin/` are). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Downloads and builds: Kafka jars, toxiproxy-server, k6 (`CPQCHAOS_CACHE`, default ~/.cache/cpqchaos). */
export function cacheDir(): string {
  return process.env.CPQCHAOS_CACHE ?? path.join(os.homedir(), '.cache', 'cpqchaos');
}

/** Root under which every environment gets its own data dir (`CPQCHAOS_RUN_ROOT`). */
export function runRoot(): string {
  return process.env.CPQCHAOS_RUN_ROOT ?? path.join(os.tmpdir(), 'cpqchaos-envs');
}

/** The project-local state dir holding `env.json` and `system.json` (relative to `cwd`). */
export function stateDir(cwd: string = process.cwd()): string {
  return path.join(cwd, '.cpqchaos');
}

/** `.cpqchaos/env.json` — the endpoints of the environment `env up` started from `cwd`. */
export function envStateFile(cwd: string = process.cwd()): string {
  return path.join(stateDir(cwd), 'env.json');
}

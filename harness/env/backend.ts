/**
 * Backend selection. `native` runs the services as processes on this machine; `testcontainers` runs
 * them — and the system under test — as containers on a Docker engine (the user's, or a private one
 * this harness provisions); `auto` (the default) picks testcontainers when the user's own engine is
 * reachable and native otherwise, so a machine without Docker stays as fast as ever.
 */
import { UsageError } from '../core/errors.ts';
import type { Backend } from './endpoints.ts';

/** What `--backend` accepts. */
export const BACKEND_CHOICES = ['auto', 'native', 'testcontainers'] as const;

/** The backends themselves. */
export const BACKENDS: readonly Backend[] = ['native', 'testcontainers'];

export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** `--backend`'s value checked (auto left unresolved); anything else is a usage error. */
export function parseBackendChoice(choice: string | undefined): BackendChoice {
  const value = choice ?? 'auto';
  if (!(BACKEND_CHOICES as readonly string[]).includes(value))
    throw new UsageError(`unknown backend '${value}'`, `--backend takes ${BACKEND_CHOICES.join(', ')}`);
  return value as BackendChoice;
}

/** `--backend`'s value as a backend (auto resolved); anything else is a usage error. */
export async function resolveBackend(choice: string | undefined): Promise<Backend> {
  const value = parseBackendChoice(choice);
  if (value !== 'auto') return value;
  const { userEngine } = await import('./containers/engine.ts');
  return (await userEngine()) ? 'testcontainers' : 'native';
}

/**
 * Backend selection. `native` (default) runs the services as processes on this machine;
 * `testcontainers` needs a Docker engine, which is checked before anything starts.
 */
import fs from 'node:fs';
import type { Backend } from './endpoints.ts';
import { InfraError } from '../core/errors.ts';

/** The backends `--backend` accepts. */
export const BACKENDS: readonly Backend[] = ['native', 'testcontainers'];

/** Where a Docker engine would be reachable, or undefined when none is. */
export function dockerEndpoint(): string | undefined {
  if (process.env.DOCKER_HOST) return process.env.DOCKER_HOST;
  const socket = '/var/run/docker.sock';
  return fs.existsSync(socket) ? `unix://${socket}` : undefined;
}

/** Throws a clear error unless `backend` can run on this machine. */
export function assertBackendAvailable(backend: Backend): void {
  if (backend === 'native') return;
  if (!dockerEndpoint()) {
    throw new InfraError(
      'the testcontainers backend needs a Docker engine and none is reachable (DOCKER_HOST unset, no /var/run/docker.sock)',
      'use the native backend (the default): npx cpqchaos env up',
    );
  }
  throw new InfraError(
    'the testcontainers backend is not built yet in this version',
    'use the native backend (the default): npx cpqchaos env up',
  );
}

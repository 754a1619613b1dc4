/**
 * An environment another process started (`env up`), whatever its backend: whether every service is
 * up — native processes by their pid files, containers by asking the engine — and a handle to it.
 */
import type { Environment } from './environment-types.ts';
import { NativeEnvironment } from './environment.ts';
import { readManifest, serviceLiveness, SERVICE_NAMES } from './manifest.ts';

/** Liveness of each service of the environment recorded in `dir`. */
export async function serviceStates(
  dir: string,
): Promise<Record<string, { up: boolean; pid?: number; container?: string }>> {
  const manifest = readManifest(dir);
  if (manifest?.backend !== 'testcontainers') return serviceLiveness(dir);
  const ids = manifest.containers?.ids ?? {};
  const { dockerAt } = await import('./containers/docker-client.ts');
  const docker = dockerAt(manifest.containers?.host ?? '');
  const entries = await Promise.all(
    SERVICE_NAMES.map(async (name) => {
      const id = ids[name];
      if (!id) return [name, { up: false }] as const;
      const state = await docker
        .getContainer(id)
        .inspect()
        .then((info) => info.State)
        .catch(() => undefined);
      return [
        name,
        { up: state?.Running === true, ...(state ? { pid: state.Pid } : {}), container: id.slice(0, 12) },
      ] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** True when every service of the environment recorded in `dir` is up. */
export async function environmentUp(dir: string): Promise<boolean> {
  return Object.values(await serviceStates(dir)).every((s) => s.up);
}

/** A handle to the environment recorded in `dir`. */
export async function attachEnvironment(dir: string): Promise<Environment> {
  const manifest = readManifest(dir);
  if (manifest?.backend !== 'testcontainers') return NativeEnvironment.attach(dir);
  const { attachContainerEnvironment } = await import('./containers/container-environment.ts');
  return attachContainerEnvironment(manifest);
}

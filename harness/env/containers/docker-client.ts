/**
 * The Docker API client of the testcontainers backend (dockerode) bound to an engine, and the
 * clean-up everything the backend starts relies on: every container and network carries the label
 * `cpqchaos.env=<environment id>`, and removing an environment removes exactly what carries its
 * label — never anything else on the engine.
 */
import Docker from 'dockerode';

/** The label every container and network of an environment carries. */
export const ENV_LABEL = 'cpqchaos.env';

/** A client of the engine at `host` (`unix:///path` or `tcp://host:port`). */
export function dockerAt(host: string): Docker {
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port || 2375) });
}

const labelled = (id: string, role?: string) => ({
  label: [`${ENV_LABEL}=${id}`, ...(role ? [`cpqchaos.role=${role}`] : [])],
});

/**
 * Removes every container (running or not) labelled with environment `id` — only those of `role`
 * when given (the system's, `system`) — and, without a role, the environment's networks; returns the
 * container names.
 */
export async function removeEnvironmentContainers(docker: Docker, id: string, role?: string): Promise<string[]> {
  const containers = await docker.listContainers({ all: true, filters: labelled(id, role) });
  await Promise.allSettled(
    containers.map(async (c) => {
      const container = docker.getContainer(c.Id);
      if (c.State === 'paused') await container.unpause().catch(() => undefined);
      await container.remove({ force: true, v: true });
    }),
  );
  if (role === undefined) {
    const networks = await docker.listNetworks({ filters: labelled(id) });
    await Promise.allSettled(networks.map((n) => docker.getNetwork(n.Id).remove()));
  }
  return containers.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
}

/** Thaws every paused container of environment `id` (a run that died mid-fault), leaving them running. */
export async function unpauseEnvironmentContainers(docker: Docker, id: string): Promise<number> {
  const containers = await docker.listContainers({ filters: { ...labelled(id), status: ['paused'] } });
  await Promise.allSettled(containers.map((c) => docker.getContainer(c.Id).unpause()));
  return containers.length;
}

/**
 * Where the system's components run when the environment runs in containers: the environment's
 * engine and the system image (reference-impl/Dockerfile, built on the Node image when its inputs
 * changed). Undefined for a native environment: the components are then processes.
 */
import type Docker from 'dockerode';
import type { EnvironmentEndpoints } from '../env/endpoints.ts';

export interface ContainerRuntime {
  docker: Docker;
  host: string;
  image: string;
}

/** The runtime for `endpoints`' environment (loading the container libraries only when it is a container one). */
export async function containerRuntime(endpoints: EnvironmentEndpoints): Promise<ContainerRuntime | undefined> {
  if (endpoints.backend !== 'testcontainers' || !endpoints.docker) return undefined;
  const { dockerAt } = await import('../env/containers/docker-client.ts');
  const { ensureSystemImage } = await import('../env/containers/images.ts');
  const docker = dockerAt(endpoints.docker.host);
  const image = await ensureSystemImage(docker, (line) => process.stderr.write(`cpqchaos: ${line}\n`));
  return { docker, host: endpoints.docker.host, image };
}

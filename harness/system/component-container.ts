/**
 * A component of a system under test run as a container of the system's image (the testcontainers
 * backend): on the host's network, so it listens on 127.0.0.1 and reaches the environment's proxies
 * at the very addresses a native process would; labelled with the environment, so it is removed with
 * it; its output followed into its log file. It has the native component's abilities, as container
 * operations — kill, restart, pause — plus failpoints over its admin route and, when started with a
 * clock file, a movable clock (libfaketime preloaded, the file bind-mounted at the same path).
 */
import fs from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { ContainerService } from '../env/containers/container-service.ts';
import { ENV_LABEL } from '../env/containers/docker-client.ts';
import type { ProcessSpec } from '../env/process.ts';
import { healthProbe } from './component-abilities.ts';
import { componentOf } from './component-base.ts';
import type { SystemComponent } from './system.ts';

/** Where libfaketime is in the system image (reference-impl/Dockerfile links it there). */
export const IMAGE_FAKETIME_LIB = '/usr/local/lib/libfaketime.so.1';

export interface ComponentContainerOptions {
  docker: Docker;
  host: string;
  image: string;
  /** The environment's id (its label), and the role label that tells system containers apart. */
  envId: string;
  /** The command inside the image (after its entrypoint), e.g. `['reference-impl/api-main.ts']`. */
  command: string[];
  signal?: AbortSignal;
  clockFile?: string;
}

export class ComponentContainer extends componentOf(ContainerService) implements SystemComponent {
  private constructor(
    options: ConstructorParameters<typeof ContainerService>[0],
    readonly kind: string,
    readonly url: string,
    readonly failpoints: readonly string[],
    protected readonly clockFile: string | undefined,
    /** The image it runs from. */
    readonly image: string,
  ) {
    super(options);
  }

  /** Creates and starts the container for `spec` (its env, name and log file), and waits until it answers. */
  static async start(
    spec: ProcessSpec,
    kind: string,
    port: number,
    failpoints: readonly string[],
    options: ComponentContainerOptions,
  ): Promise<ComponentContainer> {
    const env = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const binds = options.clockFile ? [`${path.dirname(options.clockFile)}:${path.dirname(options.clockFile)}`] : [];
    const created = await options.docker.createContainer({
      name: `cpqchaos-${options.envId}-${spec.name}`,
      Image: options.image,
      Cmd: options.command,
      Env: env,
      Labels: { [ENV_LABEL]: options.envId, 'cpqchaos.role': 'system', 'cpqchaos.service': spec.name },
      // An init as PID 1 (the engine's docker-init): the kernel ignores a SIGKILL a container's
      // PID 1 sends itself, so without it a failpoint's crash would do nothing.
      HostConfig: { NetworkMode: 'host', Binds: binds, Init: true },
    });
    await created.start();
    const log = fs.createWriteStream(spec.logFile, { flags: 'a' });
    const output = await created.logs({ follow: true, stdout: true, stderr: true });
    options.docker.modem.demuxStream(output, log, log);
    const url = `http://127.0.0.1:${port}`;
    const component = new ComponentContainer(
      {
        name: spec.name,
        docker: options.docker,
        host: options.host,
        id: created.id,
        probe: () => healthProbe(url),
        readyTimeoutMs: 90_000,
        logFile: spec.logFile,
      },
      kind,
      url,
      failpoints,
      options.clockFile,
      options.image,
    );
    try {
      await component.waitUntilReady(options.signal);
    } catch (error) {
      await created.remove({ force: true }).catch(() => undefined);
      throw error;
    }
    return component;
  }

  /** Stops it for good: the container is removed. */
  override async stop(options: { graceMs?: number } = {}): Promise<void> {
    await super.stop(options);
    this.release();
    await this.container.remove({ force: true }).catch(() => undefined);
  }
}

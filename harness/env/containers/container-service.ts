/**
 * A service of the environment — or a component of the system — as a container, with the same
 * abilities as a native process: kill (SIGKILL to its main process: the container stops where it
 * was) and start again (the same container, its files and port bindings kept), stop, restart, pause
 * and resume (the cgroup freezer: connections stay open, nothing answers), each waiting for readiness
 * like the native service. Its state is followed from the engine (a container whose process crashed
 * is seen as stopped within half a second), so `isRunning` answers at once.
 */
import type Docker from 'dockerode';
import type { EnvService } from '../environment-types.ts';
import type { ProcessRecord } from '../process.ts';
import { InfraError } from '../../core/errors.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ContainerServiceOptions {
  name: string;
  docker: Docker;
  /** The engine it runs on (`unix:///…`). */
  host: string;
  id: string;
  /** Its address on this machine, bypassing Toxiproxy (Redis: `redis://127.0.0.1:PORT`). */
  directUrl?: string;
  /** Resolves once the service answers. */
  probe: () => Promise<void>;
  readyTimeoutMs?: number;
  /** Where its log goes (for the record). */
  logFile: string;
}

export class ContainerService implements EnvService {
  private running = true;
  private paused = false;
  private pid = 0;
  private readonly watcher: NodeJS.Timeout;

  constructor(private readonly options: ContainerServiceOptions) {
    this.watcher = setInterval(() => void this.refresh(), 500);
    this.watcher.unref();
    void this.refresh();
  }

  get name(): string {
    return this.options.name;
  }

  /** The container's id. */
  get id(): string {
    return this.options.id;
  }

  /** The container, as the engine's API sees it. */
  get container(): Docker.Container {
    return this.options.docker.getContainer(this.options.id);
  }

  /** The engine it runs on. */
  get host(): string {
    return this.options.host;
  }

  get directUrl(): string | undefined {
    return this.options.directUrl;
  }

  /** A process-like record of the current instance: the container's main process on the host. */
  get record(): ProcessRecord {
    return {
      pid: this.pid,
      startTime: 0,
      spec: {
        name: this.options.name,
        command: `container ${this.options.id.slice(0, 12)}`,
        args: [],
        cwd: '/',
        logFile: this.options.logFile,
        pidFile: '',
        stopSignal: 'SIGTERM',
      },
    };
  }

  private async refresh(): Promise<void> {
    try {
      const state = (await this.container.inspect()).State;
      this.running = state.Running;
      this.paused = state.Paused;
      this.pid = state.Pid;
    } catch {
      this.running = false;
    }
  }

  isRunning(): boolean {
    return this.running;
  }

  isPaused(): boolean {
    return this.paused && this.running;
  }

  /** Waits until the service answers its probe, or fails naming it. */
  async waitUntilReady(signal?: AbortSignal): Promise<void> {
    const deadline = performance.now() + (this.options.readyTimeoutMs ?? 60_000);
    let last: unknown;
    while (performance.now() < deadline) {
      if (signal?.aborted) throw new InfraError(`${this.name}: start interrupted`);
      try {
        await this.options.probe();
        return;
      } catch (error) {
        last = error;
      }
      await sleep(200);
    }
    throw new InfraError(
      `${this.name} (container) was not ready in time: ${(last as Error | undefined)?.message ?? 'no answer'}`,
    );
  }

  async kill(): Promise<void> {
    await this.container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
    await this.container.wait().catch(() => undefined);
    this.running = false;
    this.paused = false;
  }

  async start(): Promise<void> {
    await this.refresh();
    if (this.running) return;
    await this.container.start();
    await this.refresh();
    await this.waitUntilReady();
  }

  async stop(options: { graceMs?: number } = {}): Promise<void> {
    if (this.paused) await this.resume();
    await this.container.stop({ t: Math.ceil((options.graceMs ?? 2000) / 1000) }).catch(() => undefined);
    this.running = false;
  }

  async restart(options: { hard?: boolean } = {}): Promise<void> {
    if (options.hard) await this.kill();
    else await this.stop();
    await this.start();
  }

  async pause(): Promise<void> {
    await this.container.pause();
    this.paused = true;
  }

  async resume(): Promise<void> {
    await this.container.unpause().catch(() => undefined);
    this.paused = false;
  }

  /** Stops following its state (the container itself is left as it is). */
  release(): void {
    clearInterval(this.watcher);
  }
}

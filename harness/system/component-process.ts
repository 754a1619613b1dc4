/**
 * A component of a system under test run as a native process group: ready when `GET /healthz`
 * answers 200, with the process abilities of every native service (kill, restart, pause), — when
 * the process knows failpoints — `HasFailpoints` over its loopback admin route
 * (`PUT|DELETE /admin/failpoints/{name}`), and — when started with a clock file — `HasClock`:
 * libfaketime, preloaded into the process, reads its wall-clock offset from that file.
 */
import type { FailpointSpec, HasClock, HasFailpoints } from '../env/abilities.ts';
import { NativeService } from '../env/native-service.ts';
import { spawnProcess, type ProcessRecord, type ProcessSpec } from '../env/process.ts';
import type { AbilityName, SystemComponent } from './system.ts';
import { failpointAdmin, healthProbe, writeClockOffset } from './component-abilities.ts';

export class ComponentProcess extends NativeService implements SystemComponent, HasFailpoints, HasClock {
  readonly abilities: readonly AbilityName[];
  private offsetMs = 0;

  private constructor(
    record: ProcessRecord,
    readonly kind: string,
    readonly url: string,
    readonly failpoints: readonly string[],
    private readonly clockFile: string | undefined,
  ) {
    super(record);
    this.abilities = [
      'kill',
      'restart',
      'pause',
      ...(failpoints.length ? (['failpoints'] as const) : []),
      ...(clockFile ? (['clock'] as const) : []),
    ];
  }

  /**
   * Spawns the process and waits until it is ready (killing it if it never is). With `clockFile`
   * (the spec's environment preloads libfaketime reading it: `movableClockEnv`), it can be moved.
   */
  static async start(
    spec: ProcessSpec,
    kind: string,
    port: number,
    failpoints: readonly string[],
    options: { signal?: AbortSignal; clockFile?: string } = {},
  ): Promise<ComponentProcess> {
    const component = new ComponentProcess(
      await spawnProcess(spec),
      kind,
      `http://127.0.0.1:${port}`,
      failpoints,
      options.clockFile,
    );
    await component.waitUntilReady(options.signal);
    return component;
  }

  get killable(): this {
    return this;
  }
  get restartable(): this {
    return this;
  }
  get pausable(): this {
    return this;
  }
  get failpointable(): this | undefined {
    return this.failpoints.length ? this : undefined;
  }
  get clockable(): this | undefined {
    return this.clockFile ? this : undefined;
  }

  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  /** Moves the process's wall clock `offsetMs` from real time (whole seconds); resolves once it sees it. */
  async setClockOffset(offsetMs: number): Promise<void> {
    if (!this.clockFile) throw new Error(`${this.name} was not started with a movable clock`);
    this.offsetMs = await writeClockOffset(this.clockFile, offsetMs);
  }

  get metricsUrl(): string {
    return `${this.url}/metrics`;
  }

  async arm(failpoint: string, spec: FailpointSpec): Promise<void> {
    await failpointAdmin(this.url, this.name, 'PUT', failpoint, spec);
  }

  async disarm(failpoint: string): Promise<void> {
    await failpointAdmin(this.url, this.name, 'DELETE', failpoint);
  }

  protected override readyTimeoutMs(): number {
    return 90_000;
  }

  protected override async probe(): Promise<void> {
    await healthProbe(this.url);
  }
}

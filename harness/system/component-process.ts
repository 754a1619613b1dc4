/**
 * A component of a system under test run as a native process group: ready when `GET /healthz`
 * answers 200, with the process abilities of every native service (kill, restart, pause), — when
 * the process knows failpoints — `HasFailpoints` over its loopback admin route
 * (`PUT|DELETE /admin/failpoints/{name}`), and — when started with a clock file — `HasClock`:
 * libfaketime, preloaded into the process, reads its wall-clock offset from that file.
 */
import { NativeService } from '../env/native-service.ts';
import { spawnProcess, type ProcessRecord, type ProcessSpec } from '../env/process.ts';
import type { SystemComponent } from './system.ts';
import { healthProbe } from './component-abilities.ts';
import { componentOf } from './component-base.ts';

export class ComponentProcess extends componentOf(NativeService) implements SystemComponent {
  private constructor(
    record: ProcessRecord,
    readonly kind: string,
    readonly url: string,
    readonly failpoints: readonly string[],
    protected readonly clockFile: string | undefined,
  ) {
    super(record);
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

  protected override readyTimeoutMs(): number {
    return 90_000;
  }

  protected override async probe(): Promise<void> {
    await healthProbe(this.url);
  }
}

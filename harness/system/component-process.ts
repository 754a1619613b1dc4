/**
 * A component of a system under test run as a native process group: ready when `GET /healthz`
 * answers 200, with the process abilities of every native service (kill, restart, pause) and —
 * when the process knows failpoints — `HasFailpoints` over its loopback admin route
 * (`PUT|DELETE /admin/failpoints/{name}`).
 */
import type { FailpointSpec, HasFailpoints } from '../env/abilities.ts';
import { NativeService } from '../env/native-service.ts';
import { spawnProcess, type ProcessRecord, type ProcessSpec } from '../env/process.ts';
import type { AbilityName, SystemComponent } from './system.ts';

export class ComponentProcess extends NativeService implements SystemComponent, HasFailpoints {
  readonly abilities: readonly AbilityName[];

  private constructor(
    record: ProcessRecord,
    readonly kind: string,
    readonly url: string,
    readonly failpoints: readonly string[],
  ) {
    super(record);
    this.abilities = ['kill', 'restart', 'pause', ...(failpoints.length ? (['failpoints'] as const) : [])];
  }

  /** Spawns the process and waits until it is ready (killing it if it never is). */
  static async start(
    spec: ProcessSpec,
    kind: string,
    port: number,
    failpoints: readonly string[],
    signal?: AbortSignal,
  ): Promise<ComponentProcess> {
    const component = new ComponentProcess(await spawnProcess(spec), kind, `http://127.0.0.1:${port}`, failpoints);
    await component.waitUntilReady(signal);
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

  get metricsUrl(): string {
    return `${this.url}/metrics`;
  }

  async arm(failpoint: string, spec: FailpointSpec): Promise<void> {
    await this.admin('PUT', failpoint, spec);
  }

  async disarm(failpoint: string): Promise<void> {
    await this.admin('DELETE', failpoint);
  }

  private async admin(method: 'PUT' | 'DELETE', failpoint: string, body?: FailpointSpec): Promise<void> {
    const response = await fetch(`${this.url}/admin/failpoints/${encodeURIComponent(failpoint)}`, {
      method,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok)
      throw new Error(`${method} failpoint ${failpoint} on ${this.name}: ${response.status} ${await response.text()}`);
  }

  protected override readyTimeoutMs(): number {
    return 90_000;
  }

  protected override async probe(): Promise<void> {
    const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) throw new Error(`GET /healthz answered ${response.status}: ${await response.text()}`);
  }
}

/**
 * A component of a system under test run as a native process group: ready when `GET /healthz`
 * answers 200, with the process abilities of every native service (kill, restart, pause), — when
 * the process knows failpoints — `HasFailpoints` over its loopback admin route
 * (`PUT|DELETE /admin/failpoints/{name}`), and — when started with a clock file — `HasClock`:
 * libfaketime, preloaded into the process, reads its wall-clock offset from that file.
 */
import fs from 'node:fs';
import type { FailpointSpec, HasClock, HasFailpoints } from '../env/abilities.ts';
import { NativeService } from '../env/native-service.ts';
import { spawnProcess, type ProcessRecord, type ProcessSpec } from '../env/process.ts';
import type { AbilityName, SystemComponent } from './system.ts';

/** How long a process takes to see a new clock offset (libfaketime re-reads its file each second; seen: up to 2.2 s back to real time). */
const CLOCK_PICKUP_MS = 2500;

/** The environment that preloads libfaketime, reading the wall-clock offset from `file` ("+0" now). */
export function movableClockEnv(faketimeLib: string, file: string): Record<string, string> {
  fs.writeFileSync(file, '+0\n');
  return {
    LD_PRELOAD: faketimeLib,
    FAKETIME_TIMESTAMP_FILE: file,
    FAKETIME_CACHE_DURATION: '1',
    // Only the wall clock moves, as a real clock step moves it; timers and elapsed time do not.
    DONT_FAKE_MONOTONIC: '1',
  };
}

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
    const seconds = Math.round(offsetMs / 1000);
    fs.writeFileSync(this.clockFile, `${seconds >= 0 ? '+' : ''}${seconds}\n`);
    this.offsetMs = seconds * 1000;
    await new Promise((resolve) => setTimeout(resolve, CLOCK_PICKUP_MS));
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

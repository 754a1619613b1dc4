/**
 * A manifest component the harness starts from its `command`: a native process group like the
 * reference system's (kill, restart, pause on its group; failpoints over its admin URL; a movable
 * clock when the manifest allows one and a scenario needs it), ready when its `ready.http` URL
 * answers 2xx or when its output prints the `ready.log` line after this start.
 */
import fs from 'node:fs';
import { NativeService } from '../../env/native-service.ts';
import { spawnProcess, type ProcessRecord, type ProcessSpec } from '../../env/process.ts';
import { componentOf } from '../component-base.ts';
import type { SystemComponent } from '../system.ts';

/** How a component shows it is ready, and where its metrics and failpoint admin are. */
export interface ComponentEndpoints {
  ready: { http: string } | { log: string };
  readyTimeoutMs: number;
  metricsUrl: string;
  failpointAdmin: string;
}

const fileSize = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

export class CommandComponent extends componentOf(NativeService) implements SystemComponent {
  /** Where in the log this start's output begins (a log line must be printed by this start). */
  private logMark: number;

  private constructor(
    record: ProcessRecord,
    logMark: number,
    readonly kind: string,
    readonly url: string,
    readonly failpoints: readonly string[],
    protected readonly clockFile: string | undefined,
    private readonly endpoints: ComponentEndpoints,
  ) {
    super(record);
    this.logMark = logMark;
  }

  /** Spawns the command and waits until it is ready (killing it if it never is). */
  static async start(
    spec: ProcessSpec,
    component: { kind: string; url: string; failpoints: readonly string[]; endpoints: ComponentEndpoints },
    options: { signal?: AbortSignal; clockFile?: string } = {},
  ): Promise<CommandComponent> {
    const mark = fileSize(spec.logFile);
    const started = new CommandComponent(
      await spawnProcess(spec),
      mark,
      component.kind,
      component.url,
      component.failpoints,
      options.clockFile,
      component.endpoints,
    );
    await started.waitUntilReady(options.signal);
    return started;
  }

  override async start(): Promise<void> {
    if (this.isRunning()) return;
    this.logMark = fileSize(this.record.spec.logFile);
    await super.start();
  }

  override get metricsUrl(): string {
    return this.endpoints.metricsUrl;
  }

  protected override get failpointAdminUrl(): string {
    return this.endpoints.failpointAdmin;
  }

  protected override readyTimeoutMs(): number {
    return this.endpoints.readyTimeoutMs;
  }

  protected override async probe(): Promise<void> {
    const ready = this.endpoints.ready;
    if ('http' in ready) {
      const response = await fetch(ready.http, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${ready.http} answered ${response.status}`);
      return;
    }
    const file = this.record.spec.logFile;
    const size = fileSize(file);
    if (size > this.logMark) {
      const fd = fs.openSync(file, 'r');
      try {
        const buffer = Buffer.alloc(size - this.logMark);
        fs.readSync(fd, buffer, 0, buffer.length, this.logMark);
        if (buffer.toString('utf8').includes(ready.log)) return;
      } finally {
        fs.closeSync(fd);
      }
    }
    throw new Error(`its output has not printed "${ready.log}" yet`);
  }
}

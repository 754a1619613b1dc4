/**
 * A manifest component the harness does not start (already running: in containers, on a cluster,
 * under systemd). Its abilities are the shell commands the manifest gives — `kill` (then `start`, or
 * `restart`, brings it back), `restart`, `pause`/`resume` — each run with a timeout, its exit status
 * and output kept in `lastCommand` for the fault's record, then waited on until `ready` answers.
 * Failpoints, when it names any, go to its admin URL; a `clock` command moves its wall clock. The harness leaves it as it found it: `stop`
 * resumes and starts it again if a fault left it paused or down, and never stops it.
 */
import type { FailpointSpec, HasClock, HasFailpoints, Killable, Pausable, Restartable } from '../../env/abilities.ts';
import { InfraError } from '../../core/errors.ts';
import { awaitClockOffset, failpointAdmin } from '../component-abilities.ts';
import type { AbilityName, SystemComponent } from '../system.ts';
import { runShellCommand, type CommandRecord } from './shell-command.ts';

/** The commands of each ability (absent: it does not have it). */
export interface AbilityCommands {
  kill?: string | undefined;
  start?: string | undefined;
  restart?: string | undefined;
  pause?: string | undefined;
  resume?: string | undefined;
  /** With `{seconds}`: the offset from real time to set. */
  clock?: string | undefined;
}

export interface ExternalOptions {
  commands: AbilityCommands;
  cwd: string;
  commandTimeoutMs: number;
  readyUrl: string;
  readyTimeoutMs: number;
  metricsUrl: string;
  failpointAdmin: string;
}

export class ExternalComponent implements SystemComponent, Killable, Restartable, Pausable, HasFailpoints, HasClock {
  /** No process of ours: pid 0 in records. */
  readonly record = { pid: 0 };
  /** The last ability command run, for the fault's record. */
  lastCommand: CommandRecord | undefined;
  private down = false;
  private paused = false;
  #offsetMs = 0;
  /** Whether its ready URL answered at the last look (watch()). */
  private answering = true;
  private watcher: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    readonly kind: string,
    readonly url: string,
    readonly failpoints: readonly string[],
    private readonly options: ExternalOptions,
  ) {}

  get abilities(): readonly AbilityName[] {
    const c = this.options.commands;
    return [
      ...(c.kill ? (['kill'] as const) : []),
      ...(c.restart ? (['restart'] as const) : []),
      ...(c.pause ? (['pause'] as const) : []),
      ...(this.failpoints.length ? (['failpoints'] as const) : []),
      ...(c.clock ? (['clock'] as const) : []),
    ];
  }
  get clockable(): this | undefined {
    return this.options.commands.clock ? this : undefined;
  }
  get clockOffsetMs(): number {
    return this.#offsetMs;
  }

  /** Runs the clock command with the offset in whole seconds; resolves once the component shows it. */
  async setClockOffset(offsetMs: number): Promise<void> {
    const seconds = Math.round(offsetMs / 1000);
    await this.run('clock', { '{seconds}': String(seconds) });
    this.#offsetMs = await awaitClockOffset(this.url, seconds);
  }
  get killable(): this | undefined {
    return this.options.commands.kill ? this : undefined;
  }
  get restartable(): this | undefined {
    return this.options.commands.restart ? this : undefined;
  }
  get pausable(): this | undefined {
    return this.options.commands.pause ? this : undefined;
  }
  get failpointable(): this | undefined {
    return this.failpoints.length ? this : undefined;
  }
  get metricsUrl(): string {
    return this.options.metricsUrl;
  }

  /** Down after a kill, or when its ready URL stopped answering on its own (a failpoint's crash). */
  isRunning(): boolean {
    return !this.down && (this.paused || this.answering);
  }

  /**
   * Looks at its ready URL every 500 ms from now until `stop`: a component that dies on its own
   * (a crash failpoint, an OOM kill) is then seen down and started again by the heal.
   */
  watch(): void {
    this.watcher ??= setInterval(() => {
      void this.answers().then((ok) => (this.answering = ok));
    }, 500).unref();
  }
  isPaused(): boolean {
    return this.paused;
  }

  async kill(): Promise<void> {
    await this.run('kill');
    this.down = true;
  }

  async start(): Promise<void> {
    if (this.isRunning()) return;
    await this.run(this.options.commands.start ? 'start' : 'restart');
    this.down = false;
    await this.waitUntilReady();
  }

  async restart(): Promise<void> {
    await this.run('restart');
    this.down = false;
    this.paused = false;
    await this.waitUntilReady();
  }

  async pause(): Promise<void> {
    await this.run('pause');
    this.paused = true;
  }

  async resume(): Promise<void> {
    await this.run('resume');
    this.paused = false;
    await this.waitUntilReady();
  }

  /** Leaves it as found: resumed and started again if a fault left it paused or down. */
  async stop(): Promise<void> {
    clearInterval(this.watcher);
    this.watcher = undefined;
    if (this.paused) await this.resume().catch(() => undefined);
    if (!this.isRunning()) await this.start().catch(() => undefined);
  }

  async arm(failpoint: string, spec: FailpointSpec): Promise<void> {
    await failpointAdmin(this.options.failpointAdmin, this.name, 'PUT', failpoint, spec);
  }

  async disarm(failpoint: string): Promise<void> {
    await failpointAdmin(this.options.failpointAdmin, this.name, 'DELETE', failpoint);
  }

  /** Whether the ready URL answers 2xx now (within 2 s). */
  private async answers(): Promise<boolean> {
    return (await this.readyProblem()) === undefined;
  }

  /** Why the ready URL does not answer 2xx now, or undefined when it does. */
  private async readyProblem(): Promise<string | undefined> {
    try {
      const response = await fetch(this.options.readyUrl, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return response.ok ? undefined : `answered ${response.status}`;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Polls the ready URL until it answers 2xx; an error after the ready timeout. */
  async waitUntilReady(signal?: AbortSignal): Promise<void> {
    const deadline = performance.now() + this.options.readyTimeoutMs;
    while (!signal?.aborted) {
      const why = await this.readyProblem();
      if (why === undefined) {
        this.answering = true;
        return;
      }
      if (performance.now() > deadline)
        throw new InfraError(
          `${this.name} not ready after ${this.options.readyTimeoutMs} ms: ${this.options.readyUrl} ${why}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new InfraError(`${this.name}: start interrupted`);
  }

  private async run(ability: keyof AbilityCommands, fill: Record<string, string> = {}): Promise<void> {
    const template = this.options.commands[ability];
    if (!template) throw new InfraError(`${this.name} has no ${ability} command`);
    const command = Object.entries(fill).reduce((text, [key, value]) => text.replaceAll(key, value), template);
    this.lastCommand = undefined;
    try {
      this.lastCommand = await runShellCommand(command, this.options.commandTimeoutMs, this.options.cwd);
    } catch (error) {
      this.lastCommand = { command, exitCode: null, ms: 0, output: (error as Error).message };
      throw error;
    }
  }
}

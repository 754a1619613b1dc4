/**
 * Base of every native-process service: one process group, started from a serialisable spec, with
 * the process abilities faults use (stop, kill -9, start again on the same port and data, pause,
 * resume). Subclasses add endpoints and the readiness probe.
 */
import type { Killable, Pausable, Restartable } from './abilities.ts';
import { isAlive, killProcess, signalTree, spawnProcess, stopProcess, type ProcessRecord } from './process.ts';
import { waitReady } from './readiness.ts';

/** A running native service; `record` always describes the current instance. */
export abstract class NativeService implements Killable, Pausable, Restartable {
  private paused = false;

  constructor(protected current: ProcessRecord) {}

  get name(): string {
    return this.current.spec.name;
  }

  /** The process record (spec, pid, start time) of the current instance. */
  get record(): ProcessRecord {
    return this.current;
  }

  /** Probe that resolves once the service really answers. */
  protected abstract probe(): Promise<void>;

  /** How long a start may take before it is an error. */
  protected readyTimeoutMs(): number {
    return 30_000;
  }

  /** Waits until the current instance is ready; kills it if it never becomes ready (or `signal` aborts). */
  async waitUntilReady(signal?: AbortSignal): Promise<void> {
    try {
      await waitReady(this.current, () => this.probe(), this.readyTimeoutMs(), signal);
    } catch (error) {
      await killProcess(this.current).catch(() => undefined);
      throw error;
    }
  }

  isRunning(): boolean {
    return isAlive(this.current);
  }

  isPaused(): boolean {
    return this.paused && this.isRunning();
  }

  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.paused = false;
    await stopProcess(this.current, options.graceMs);
  }

  async kill(): Promise<void> {
    this.paused = false;
    await killProcess(this.current);
  }

  /** Starts the service again from the same spec (same port, same data); no-op while running. */
  async start(): Promise<void> {
    if (this.isRunning()) return;
    this.current = await spawnProcess(this.current.spec);
    await this.waitUntilReady();
  }

  async restart(options: { hard?: boolean } = {}): Promise<void> {
    if (options.hard) await this.kill();
    else await this.stop();
    await this.start();
  }

  async pause(): Promise<void> {
    signalTree(this.current, 'SIGSTOP');
    this.paused = true;
  }

  async resume(): Promise<void> {
    signalTree(this.current, 'SIGCONT');
    this.paused = false;
  }
}

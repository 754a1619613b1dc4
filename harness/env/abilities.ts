/**
 * Small role interfaces for what the environment's services can do. A fault targets an ability,
 * never a concrete class: a `Killable` may be Redis, Kafka or a relay process.
 */

/** A service that can be stopped gracefully and reports its endpoints once started. */
export interface Service {
  readonly name: string;
  /** Graceful stop; must leave no process of the service behind. */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** True while the service's main process is alive. */
  isRunning(): boolean;
}

/** Can be killed with SIGKILL (no chance to clean up), then started again with `start`. */
export interface Killable extends Service {
  kill(): Promise<void>;
  /** Starts again on the same port and data after a kill or stop; resolves once ready. */
  start(): Promise<void>;
}

/** Can be frozen (SIGSTOP) and thawed (SIGCONT): connections stay open, nothing answers. */
export interface Pausable extends Service {
  pause(): Promise<void>;
  resume(): Promise<void>;
  isPaused(): boolean;
}

/** Can be restarted in place: stop (or kill), then start on the same port and data. */
export interface Restartable extends Service {
  restart(options?: { hard?: boolean }): Promise<void>;
}

/** What an armed failpoint does when hit: kill its process, or drop the connection unanswered. */
export interface FailpointSpec {
  action: 'crash' | 'drop';
  /** Hits that fire before it disarms itself (default 1). */
  times?: number;
  /** For consumer failpoints: only this consumer. */
  consumer?: string;
}

/** Has named failpoints that can be armed and disarmed while it runs. */
export interface HasFailpoints {
  readonly name: string;
  /** The failpoint names this component knows. */
  readonly failpoints: readonly string[];
  arm(failpoint: string, spec: FailpointSpec): Promise<void>;
  disarm(failpoint: string): Promise<void>;
}

/**
 * Its wall clock can be moved (Jepsen's clock nemesis, for one process): an offset from real time
 * that the process sees from its clock calls within about a second; 0 puts it back. The monotonic
 * clock is left alone, as a real clock step leaves it.
 */
export interface HasClock {
  readonly name: string;
  /** The offset in effect now (ms; negative: behind real time). */
  readonly clockOffsetMs: number;
  setClockOffset(offsetMs: number): Promise<void>;
}

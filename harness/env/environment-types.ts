/**
 * What a running environment is, whatever runs it: the four services with the abilities faults use
 * (a service is killed, started again, frozen and thawed the same way as a native process or as a
 * container), its endpoints, and its own stop. `NativeEnvironment` (environment.ts) and the
 * testcontainers backend (containers/container-environment.ts) both are one.
 */
import type { Toxiproxy } from 'toxiproxy-node-client';
import type { Killable, Pausable, Restartable } from './abilities.ts';
import type { Backend, EnvironmentEndpoints } from './endpoints.ts';
import type { ProcessRecord } from './process.ts';
import type { RedisPersistence } from './redis.ts';
import type { Watchdog } from './watchdog.ts';

/** A service of the environment: killable, restartable and pausable, with the identity of its current instance. */
export interface EnvService extends Killable, Pausable, Restartable {
  /** The current instance (a native process, or a container's main process), for the history. */
  readonly record: ProcessRecord;
}

/** Redis, plus what its snapshot faults need. */
export interface RedisService extends EnvService {
  /** `redis://127.0.0.1:PORT`, bypassing Toxiproxy. */
  readonly directUrl: string;
  /** The snapshot Redis last saved (`SAVE`), copied to `file` on this machine. */
  copySnapshotTo(file: string): Promise<void>;
  /** Redis killed and started again from the snapshot in `file` (an older state comes back). */
  restartFromSnapshot(file: string): Promise<void>;
  /** Forgets its own snapshot, so a later restart comes back empty again. */
  dropSnapshot(): Promise<void>;
}

/** Toxiproxy's API. */
export interface ToxiproxyService {
  readonly url: string;
  client(): Toxiproxy;
}

/** How long each start step took, in milliseconds (what `bench:env` reports). */
export interface StartTimings {
  provision: number;
  postgres: number;
  redis: number;
  kafka: number;
  toxiproxy: number;
  proxies: number;
  total: number;
}

/** A running environment. */
export interface Environment extends AsyncDisposable {
  readonly endpoints: EnvironmentEndpoints;
  readonly postgres: EnvService;
  readonly redis: RedisService;
  readonly kafka: EnvService;
  readonly toxiproxy: ToxiproxyService;
  readonly id: string;
  readonly dir: string;
  /** Start timings; zeros for an attached environment. */
  timings: StartTimings;
  /** Stops everything if the process that owns it dies without stopping it. */
  watchdog?: Watchdog;
  /** The four services, for faults and status. */
  services(): EnvService[];
  /** Stops every service and removes the environment's data. */
  stop(graceMs?: number): Promise<void>;
  /** Kills every service synchronously (an exit handler). */
  killSync(): void;
  /** Stops guarding it, so it outlives this process (`env up`). */
  detach(): void;
}

/** How to start an environment (startEnvironment). */
export interface StartEnvironmentOptions {
  /** Native processes (default) or containers on a Docker engine (`testcontainers`). */
  backend?: Backend;
  /** Redis persistence (default `off`). */
  redisPersistence?: RedisPersistence;
  /**
   * For environments that must outlive this process (`env up`): the absolute path of the state file
   * that will refer to it. Without it the environment dies with this process.
   */
  stateFile?: string;
  /** Progress messages (one short line each). */
  onProgress?: (message: string) => void;
}

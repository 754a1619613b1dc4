/**
 * Runs the reference CPQ/OMS against an environment: N API instances, the outbox relay, the
 * billing/projection consumers and the cache-invalidation consumer, each a process group of its
 * own wired to its own Toxiproxy paths, each ready when its `/healthz` answers. Components are
 * `Killable`/`Pausable`/`Restartable` like the services, so faults can target them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvironmentEndpoints } from '../env/endpoints.ts';
import { InfraError } from '../env/errors.ts';
import { NativeService } from '../env/native-service.ts';
import { allocatePorts } from '../env/ports.ts';
import { spawnProcess, type ProcessRecord, type ProcessSpec } from '../env/process.ts';
import type { Component } from '../env/proxies.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** tsx's loader, resolved from the repo root (the components' working directory). */
const TSX = 'tsx';

/** What kind of component a process is. */
export type ComponentKind = 'api' | 'relay' | 'consumers' | 'invalidation';

const ENTRY: Record<ComponentKind, string> = {
  api: 'reference-impl/api-main.ts',
  relay: 'reference-impl/relay/main.ts',
  consumers: 'reference-impl/consumers/main.ts',
  invalidation: 'reference-impl/consumers/main.ts',
};

/** Which Toxiproxy paths a kind of component uses. */
const PATHS_OF: Record<ComponentKind, Component> = {
  api: 'api',
  relay: 'relay',
  consumers: 'consumers',
  invalidation: 'consumers',
};

/** A running component process; ready when GET /healthz answers 200. */
export class RunningComponent extends NativeService {
  private constructor(
    record: ProcessRecord,
    readonly kind: ComponentKind,
    readonly url: string,
  ) {
    super(record);
  }

  static async start(spec: ProcessSpec, kind: ComponentKind, port: number): Promise<RunningComponent> {
    const component = new RunningComponent(await spawnProcess(spec), kind, `http://127.0.0.1:${port}`);
    await component.waitUntilReady();
    return component;
  }

  get metricsUrl(): string {
    return `${this.url}/metrics`;
  }

  protected override readyTimeoutMs(): number {
    return 90_000;
  }

  protected override async probe(): Promise<void> {
    const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) throw new Error(`GET /healthz answered ${response.status}: ${await response.text()}`);
  }
}

export interface SystemOptions {
  endpoints: EnvironmentEndpoints;
  /** Planted bugs to switch on (validated by the components; an unknown name fails the start). */
  bugs: string[];
  /** API instances (default 2). */
  instances?: number;
  /** Enables the loopback failpoint admin routes. */
  failpoints?: boolean;
  /** Where logs and pid files go. */
  dir: string;
  logLevel?: string;
  /** Extra environment variables for every component (e.g. `CPQ_CACHE=off` for a benchmark). */
  extraEnv?: Record<string, string>;
}

/** `.cpqchaos/system.json` of contract section 1 (plus the components). */
export interface SystemDescription {
  api: string[];
  metrics: string[];
  bugs: string[];
  components: { name: string; kind: ComponentKind; pid: number; url: string }[];
}

export class ReferenceSystem implements AsyncDisposable {
  private constructor(
    readonly components: RunningComponent[],
    readonly bugs: string[],
  ) {}

  /** Starts every component (in parallel) and waits until all are ready; stops all on failure. */
  static async start(options: SystemOptions): Promise<ReferenceSystem> {
    const instances = options.instances ?? 2;
    for (const sub of ['logs', 'pids']) fs.mkdirSync(path.join(options.dir, sub), { recursive: true });
    const plan: { name: string; kind: ComponentKind; env?: Record<string, string> }[] = [
      ...Array.from({ length: instances }, (_, i) => ({ name: `api-${i + 1}`, kind: 'api' as const })),
      { name: 'relay', kind: 'relay' },
      { name: 'consumers', kind: 'consumers', env: { CPQ_CONSUMERS: 'billing,projection' } },
      { name: 'invalidation', kind: 'invalidation', env: { CPQ_CONSUMERS: 'invalidation' } },
    ];
    const ports = await allocatePorts(plan.length);
    const started: RunningComponent[] = [];
    try {
      await Promise.all(
        plan.map(async (entry, i) => {
          const port = ports[i] as number;
          const paths = options.endpoints.paths[PATHS_OF[entry.kind]];
          const spec: ProcessSpec = {
            name: entry.name,
            command: process.execPath,
            args: ['--import', TSX, path.join(ROOT, ENTRY[entry.kind])],
            cwd: ROOT,
            env: {
              CPQ_INSTANCE_ID: entry.name,
              CPQ_PORT: String(port),
              CPQ_DATABASE_URL: paths.postgres ?? options.endpoints.services.postgres.url,
              CPQ_REDIS_URL: paths.redis ?? options.endpoints.services.redis.url,
              CPQ_KAFKA_BROKERS: (paths.kafka ?? options.endpoints.services.kafka.brokers).join(','),
              CPQ_BUGS: options.bugs.join(','),
              CPQ_FAILPOINTS: options.failpoints ? 'on' : 'off',
              CPQ_LOG_LEVEL: options.logLevel ?? 'info',
              KAFKAJS_NO_PARTITIONER_WARNING: '1',
              ...options.extraEnv,
              ...entry.env,
            },
            logFile: path.join(options.dir, 'logs', `${entry.name}.log`),
            pidFile: path.join(options.dir, 'pids', `${entry.name}.json`),
            stopSignal: 'SIGTERM',
          };
          started.push(await RunningComponent.start(spec, entry.kind, port));
        }),
      );
    } catch (error) {
      await Promise.all(started.map((c) => c.stop({ graceMs: 2000 })));
      throw error instanceof InfraError
        ? error
        : new InfraError(`the reference system did not start: ${(error as Error).message}`);
    }
    const order = new Map(plan.map((entry, i) => [entry.name, i]));
    started.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
    return new ReferenceSystem(started, options.bugs);
  }

  /** The API instances' base URLs. */
  get apiUrls(): string[] {
    return this.components.filter((c) => c.kind === 'api').map((c) => c.url);
  }

  component(name: string): RunningComponent {
    const found = this.components.find((c) => c.name === name);
    if (!found) throw new Error(`no component ${name}`);
    return found;
  }

  describe(): SystemDescription {
    return {
      api: this.apiUrls,
      metrics: this.components.map((c) => c.metricsUrl),
      bugs: this.bugs,
      components: this.components.map((c) => ({ name: c.name, kind: c.kind, pid: c.record.pid, url: c.url })),
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.components.map((c) => c.stop({ graceMs: 3000 })));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

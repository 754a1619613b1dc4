/**
 * The disposable environment: PostgreSQL, Redis, Kafka and Toxiproxy as native processes on free
 * 127.0.0.1 ports, wired through one proxy per component path.
 *
 * `await using env = await startEnvironment()` stops everything when the scope ends, when the caller
 * throws, and when the process gets SIGINT/SIGTERM. A start that fails stops what it had started.
 * Steps: clean leftovers → provision → allocate ports → write manifest → start services in
 * parallel → create proxies → write endpoints.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EnvironmentEndpoints } from './endpoints.ts';
import type { Environment, StartEnvironmentOptions, StartTimings } from './environment-types.ts';
import { startTimer } from './start-timings.ts';
import { StartedKafka } from './kafka.ts';
import { cleanLeftovers, removeEnvironmentDir } from './leftovers.ts';
import { processRecords, readManifest, serviceFiles, writeManifest, type EnvironmentManifest } from './manifest.ts';
import { environmentId, ownerOf } from './environment-id.ts';
import { runRoot } from './paths.ts';
import { endpointsOf, planPorts, proxySpecsOf } from './port-plan.ts';
import { StartedPostgres } from './postgres.ts';
import { readPidFile, signalGroup } from './process.ts';
import { provisionServices } from './provision/index.ts';
import { StartedRedis } from './redis.ts';
import { guard, release } from './shutdown-guard.ts';
import { startWatchdog, type Watchdog } from './watchdog.ts';
import { StartedToxiproxy } from './toxiproxy.ts';
import { InfraError } from '../core/errors.ts';
import { PortClashError } from './readiness.ts';

export type { Environment, StartEnvironmentOptions, StartTimings } from './environment-types.ts';

/** A running native environment. Endpoints are available only once every service is ready. */
export class NativeEnvironment implements Environment {
  private stopped = false;
  /** Stops everything if this process dies without stopping it (set when a process owns it). */
  watchdog?: Watchdog;
  /** Start timings; zeros for an attached environment. */
  timings: StartTimings = { provision: 0, postgres: 0, redis: 0, kafka: 0, toxiproxy: 0, proxies: 0, total: 0 };

  private constructor(
    readonly endpoints: EnvironmentEndpoints,
    readonly postgres: StartedPostgres,
    readonly redis: StartedRedis,
    readonly kafka: StartedKafka,
    readonly toxiproxy: StartedToxiproxy,
  ) {}

  /** @internal */
  static create(
    endpoints: EnvironmentEndpoints,
    services: { postgres: StartedPostgres; redis: StartedRedis; kafka: StartedKafka; toxiproxy: StartedToxiproxy },
  ): NativeEnvironment {
    return new NativeEnvironment(endpoints, services.postgres, services.redis, services.kafka, services.toxiproxy);
  }

  /** Reattaches to an environment started by another process (e.g. `env up`), from its dir. */
  static attach(dir: string): NativeEnvironment {
    const manifest = readManifest(dir);
    const { postgres, redis, kafka, toxiproxy } = manifest?.services ?? {};
    const record = (name: 'postgres' | 'redis' | 'kafka' | 'toxiproxy') => readPidFile(serviceFiles(dir, name).pidFile);
    const records = {
      postgres: record('postgres'),
      redis: record('redis'),
      kafka: record('kafka'),
      toxiproxy: record('toxiproxy'),
    };
    if (
      !manifest?.endpoints ||
      !postgres ||
      !redis ||
      !kafka ||
      !toxiproxy ||
      !records.postgres ||
      !records.redis ||
      !records.kafka ||
      !records.toxiproxy
    ) {
      throw new InfraError(`no complete environment in ${dir}`, 'start one with `npx cpqchaos env up`');
    }
    return new NativeEnvironment(
      manifest.endpoints,
      StartedPostgres.attach(records.postgres, postgres),
      StartedRedis.attach(records.redis, redis),
      StartedKafka.attach(records.kafka, kafka),
      StartedToxiproxy.attach(records.toxiproxy, toxiproxy),
    );
  }

  get id(): string {
    return this.endpoints.id;
  }

  get dir(): string {
    return this.endpoints.dir;
  }

  /** The four services, for faults and status. */
  services(): [StartedPostgres, StartedRedis, StartedKafka, StartedToxiproxy] {
    return [this.postgres, this.redis, this.kafka, this.toxiproxy];
  }

  /** Stops every process (graceful, then SIGKILL after `graceMs`) and deletes the data dir. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.watchdog?.release();
    try {
      await removeEnvironmentDir(this.dir, graceMs);
    } finally {
      release(this);
    }
  }

  /** SIGKILLs every process group synchronously (exit handler). */
  killSync(): void {
    for (const record of processRecords(this.dir)) signalGroup(record, 'SIGKILL');
  }

  /** Stops guarding this environment so it outlives this process (used by `env up`). */
  detach(): void {
    this.watchdog?.release();
    release(this);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/**
 * Starts a fresh environment; see the module comment for the steps. A start that loses a port to
 * another process between allocation and bind is retried once on new ports.
 */
export async function startEnvironment(options: StartEnvironmentOptions = {}): Promise<Environment> {
  if (options.backend === 'testcontainers') {
    // Loaded only when used: a native run never loads the container libraries.
    const { startContainerEnvironment } = await import('./containers/container-environment.ts');
    return startContainerEnvironment(options);
  }
  try {
    return await startOnce(options);
  } catch (error) {
    if (!(error instanceof PortClashError)) throw error;
    options.onProgress?.(`${error.message}; retrying on new ports`);
    return startOnce(options);
  }
}

async function startOnce(options: StartEnvironmentOptions): Promise<NativeEnvironment> {
  const progress = options.onProgress ?? (() => undefined);
  const began = performance.now();
  const { timings, timed } = startTimer();
  const removed = await cleanLeftovers();
  if (removed.length > 0)
    process.stderr.write(`cpqchaos: removed leftover environments of runs that died: ${removed.join(', ')}\n`);
  progress('provisioning (cached after the first run)');
  const bins = await timed('provision', provisionServices());

  const plan = await planPorts();
  const { pgPort, redisPort, kafkaDirect, kafkaController, toxiPort, listeners } = plan;

  const id = environmentId();
  fs.mkdirSync(runRoot(), { recursive: true, mode: 0o755 });
  const dir = path.join(runRoot(), `env-${id}`);
  for (const sub of ['', 'logs', 'pids']) fs.mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755); // the postgres user must reach its data dir
  const owner = ownerOf(options.stateFile);
  const manifest: EnvironmentManifest = {
    id,
    backend: 'native',
    dir,
    createdAt: new Date().toISOString(),
    owner,
    services: {},
  };
  writeManifest(manifest);

  const cleanup = {
    stop: () => removeEnvironmentDir(dir, 1000),
    killSync: () => processRecords(dir).forEach((r) => signalGroup(r, 'SIGKILL')),
  };
  guard(cleanup);
  // Owned by this process (not by `env up`'s state file): a watchdog stops it if we die unguarded.
  const watchdog = options.stateFile
    ? undefined
    : startWatchdog({
        label: `environment ${id}`,
        stop: [path.join(dir, 'pids')],
        remove: [dir],
        logFile: path.join(runRoot(), 'watchdogs', `${id}.log`),
      });
  try {
    progress('starting postgres, redis, kafka, toxiproxy');
    const [postgres, redis, kafka, toxiproxy] = await Promise.all([
      timed(
        'postgres',
        StartedPostgres.start({
          dir: path.join(dir, 'postgres'),
          port: pgPort,
          bin: bins.postgresBin,
          ...serviceFiles(dir, 'postgres'),
        }),
      ),
      timed(
        'redis',
        StartedRedis.start({
          dir: path.join(dir, 'redis'),
          port: redisPort,
          redisServer: bins.redisServer,
          persistence: options.redisPersistence ?? 'off',
          ...serviceFiles(dir, 'redis'),
        }),
      ),
      timed(
        'kafka',
        StartedKafka.start({
          dir: path.join(dir, 'kafka'),
          runtime: bins.kafka,
          directPort: kafkaDirect,
          controllerPort: kafkaController,
          listeners,
          ...serviceFiles(dir, 'kafka'),
        }),
      ),
      timed(
        'toxiproxy',
        StartedToxiproxy.start({
          dir: path.join(dir, 'toxiproxy'),
          port: toxiPort,
          binary: bins.toxiproxyServer,
          ...serviceFiles(dir, 'toxiproxy'),
        }),
      ),
    ]);
    progress('creating proxies');
    await timed('proxies', toxiproxy.createProxies(proxySpecsOf(plan)));
    const endpoints = endpointsOf(plan, { postgres, redis, kafka, toxiproxy }, id, dir);
    writeManifest({
      ...manifest,
      services: { postgres: postgres.info, redis: redis.info, kafka: kafka.info, toxiproxy: toxiproxy.info },
      endpoints,
    });
    const env = NativeEnvironment.create(endpoints, { postgres, redis, kafka, toxiproxy });
    if (watchdog) env.watchdog = watchdog;
    env.timings = { ...timings, total: Math.round(performance.now() - began) };
    guard(env);
    return env;
  } catch (error) {
    watchdog?.release();
    await removeEnvironmentDir(dir, 1000).catch(() => undefined);
    throw error;
  } finally {
    release(cleanup);
  }
}

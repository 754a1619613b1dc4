/**
 * The environment as containers (the testcontainers backend). Steps: clean leftovers → engine (the
 * user's, or a private one) → images (found, pulled, or built from Debian once) → ports → manifest
 * and watchdog → network → PostgreSQL, Redis, Kafka and Toxiproxy containers in parallel → proxies →
 * endpoints. The ports and endpoints are the native backend's: every service and proxy is published
 * on 127.0.0.1 at the port the plan chose, and Kafka advertises those addresses — so the system under
 * test, the checkers and the faults see the same environment either way.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { InfraError } from '../../core/errors.ts';
import type { EnvironmentEndpoints } from '../endpoints.ts';
import type { StartEnvironmentOptions } from '../environment-types.ts';
import type { Environment } from '../environment-types.ts';
import { startTimer } from '../start-timings.ts';
import { topicsWithLeaders, createTopics } from '../kafka-admin.ts';
import type { KafkaInfo } from '../kafka.ts';
import { cleanLeftovers } from '../leftovers.ts';
import { writeManifest, type EnvironmentManifest } from '../manifest.ts';
import { runRoot } from '../paths.ts';
import { planPorts, type PortPlan } from '../port-plan.ts';
import { postgresUrl, runStatement } from '../postgres.ts';
import { PROXY_TOPOLOGY, proxyName, type Component } from '../proxies.ts';
import { guard, release } from '../shutdown-guard.ts';
import { createProxies } from '../toxiproxy.ts';
import { KAFKA_TOPICS } from '../versions.ts';
import { startWatchdog } from '../watchdog.ts';
import { ContainerEnvironment, ContainerRedis, ContainerToxiproxy } from './container-services.ts';
import { ContainerService } from './container-service.ts';
import { dockerAt, ENV_LABEL, removeEnvironmentContainers } from './docker-client.ts';
import { ensureEngine, useEngine } from './engine.ts';
import { ensureImage } from './images.ts';
import { kafkaContainer, postgresContainer, redisContainer, toxiproxyContainer } from './service-containers.ts';
import { environmentId, ownerOf } from '../environment-id.ts';
import { respCommand } from '../resp.ts';
import { allStarted, logTails } from './start-steps.ts';

/** The endpoints: the same shape and addresses as the native backend's. */
function endpointsOf(plan: PortPlan, id: string, dir: string): EnvironmentEndpoints {
  const pg = { user: 'cpqchaos', database: 'cpqchaos' };
  const listen = (component: Component, service: 'postgres' | 'redis' | 'kafka') =>
    plan.listenPorts.get(proxyName(component, service)) as number;
  const pathsOf = (component: Component) => {
    const has = (service: 'postgres' | 'redis' | 'kafka') => plan.listenPorts.has(proxyName(component, service));
    return {
      ...(has('postgres') ? { postgres: postgresUrl(pg, listen(component, 'postgres')) } : {}),
      ...(has('redis') ? { redis: `redis://127.0.0.1:${listen(component, 'redis')}` } : {}),
      ...(has('kafka') ? { kafka: [`127.0.0.1:${listen(component, 'kafka')}`] } : {}),
    };
  };
  return {
    backend: 'testcontainers',
    services: {
      postgres: { url: postgresUrl(pg, listen('api', 'postgres')), directUrl: postgresUrl(pg, plan.pgPort) },
      redis: { url: `redis://127.0.0.1:${listen('api', 'redis')}`, directUrl: `redis://127.0.0.1:${plan.redisPort}` },
      kafka: { brokers: [`127.0.0.1:${listen('api', 'kafka')}`], directBrokers: [`127.0.0.1:${plan.kafkaDirect}`] },
      toxiproxy: { url: `http://127.0.0.1:${plan.toxiPort}` },
    },
    proxies: PROXY_TOPOLOGY.map((p) => p.name),
    paths: { api: pathsOf('api'), relay: pathsOf('relay'), consumers: pathsOf('consumers') },
    id,
    dir,
  };
}

/** The proxies, inside the Toxiproxy container: listening on every address, forwarding to the services by alias. */
function proxySpecs(plan: PortPlan) {
  return PROXY_TOPOLOGY.map((proxy) => ({
    name: proxy.name,
    listenHost: '0.0.0.0',
    listenPort: plan.listenPorts.get(proxy.name) as number,
    upstreamHost: proxy.service,
    upstreamPort:
      proxy.service === 'postgres'
        ? 5432
        : proxy.service === 'redis'
          ? 6379
          : (plan.listeners.find((l) => l.proxy === proxy.name)?.brokerPort as number),
  }));
}

/** The environment object over running containers (by service name → container id). */
function environmentOf(
  endpoints: EnvironmentEndpoints,
  docker: Docker,
  ids: Record<string, string>,
): ContainerEnvironment {
  const direct = endpoints.services;
  const host = endpoints.docker?.host ?? '';
  const service = (name: string, probe: () => Promise<void>, directUrl?: string) =>
    new ContainerService({
      name,
      docker,
      host,
      id: ids[name] as string,
      probe,
      logFile: path.join(endpoints.dir, 'logs', `${name}.log`),
      ...(directUrl ? { directUrl } : {}),
    });
  const redisPort = Number(new URL(direct.redis.directUrl).port);
  const postgres = service('postgres', () => runStatement(direct.postgres.directUrl, 'select 1'));
  const redis = service(
    'redis',
    async () => {
      if ((await respCommand(redisPort, 'PING')) !== '+PONG') throw new Error('PING unanswered');
    },
    direct.redis.directUrl,
  );
  const kafka = service('kafka', async () => {
    const topics = new Set(await topicsWithLeaders(direct.kafka.directBrokers[0] as string));
    if (KAFKA_TOPICS.some((t) => !topics.has(t))) throw new Error('topics without leaders');
  });
  const toxiproxy = service('toxiproxy', async () => {
    if (!(await fetch(`${direct.toxiproxy.url}/version`)).ok) throw new Error('toxiproxy unanswered');
  });
  return new ContainerEnvironment(endpoints, docker, {
    postgres,
    redis: new ContainerRedis(redis),
    kafka,
    toxiproxy: new ContainerToxiproxy(direct.toxiproxy.url),
    services: [postgres, redis, kafka, toxiproxy],
  });
}

/** Reattaches to a container environment started by another process (`env up`), from its manifest. */
export function attachContainerEnvironment(manifest: EnvironmentManifest): ContainerEnvironment {
  if (!manifest.endpoints?.docker || !manifest.containers?.ids)
    throw new InfraError(
      `no complete container environment in ${manifest.dir}`,
      'start one with `npx cpqchaos env up`',
    );
  return environmentOf(manifest.endpoints, dockerAt(manifest.endpoints.docker.host), manifest.containers.ids);
}

/** Starts a fresh environment as containers; see the module comment. */
export async function startContainerEnvironment(options: StartEnvironmentOptions = {}): Promise<Environment> {
  const progress = options.onProgress ?? (() => undefined);
  // Minutes of work the first time (an engine installed, a base debootstrapped, images built) are
  // said on stderr when no one listens for progress, as the system's image build is.
  const slowWork = options.onProgress ?? ((line: string) => void process.stderr.write(`cpqchaos: ${line}\n`));
  const began = performance.now();
  const { timings, timed } = startTimer();
  const removed = await cleanLeftovers();
  if (removed.length > 0) process.stderr.write(`cpqchaos: removed leftover environments: ${removed.join(', ')}\n`);
  const engine = await ensureEngine(slowWork);
  useEngine(engine);
  const docker = dockerAt(engine.host);
  progress('container images (pulled, or built from Debian the first time)');
  const [pgImage, redisImage, kafkaImage, toxiImage] = await timed('provision', () =>
    Promise.all([
      ensureImage(docker, 'postgres', slowWork),
      ensureImage(docker, 'redis', slowWork),
      ensureImage(docker, 'kafka', slowWork),
      ensureImage(docker, 'toxiproxy', slowWork),
    ]),
  );
  const plan = await planPorts();
  const id = environmentId();
  fs.mkdirSync(runRoot(), { recursive: true, mode: 0o755 });
  const dir = path.join(runRoot(), `env-${id}`);
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true, mode: 0o755 });
  const manifest: EnvironmentManifest = {
    id,
    backend: 'testcontainers',
    dir,
    createdAt: new Date().toISOString(),
    owner: ownerOf(options.stateFile),
    services: {},
    containers: {
      host: engine.host,
      images: { postgres: pgImage, redis: redisImage, kafka: kafkaImage, toxiproxy: toxiImage },
    },
  };
  writeManifest(manifest);
  const cleanup = {
    stop: () => removeEnvironmentContainers(docker, id).then(() => undefined),
    killSync: () => undefined,
  };
  guard(cleanup);
  const watchdog = options.stateFile
    ? undefined
    : startWatchdog({
        label: `environment ${id}`,
        containers: { host: engine.host, env: id },
        remove: [dir],
        logFile: path.join(runRoot(), 'watchdogs', `${id}.log`),
      });
  try {
    const network = `cpqchaos-${id}`;
    await docker.createNetwork({ Name: network, Labels: { [ENV_LABEL]: id } });
    const spec = (image: string, ports: [number, number][]) => ({
      envId: id,
      network,
      image,
      ports,
      logDir: path.join(dir, 'logs'),
    });
    const info: KafkaInfo = {
      directPort: plan.kafkaDirect,
      controllerPort: plan.kafkaController,
      listeners: plan.listeners,
      partitions: 3,
    };
    const endpoints = {
      ...endpointsOf(plan, id, dir),
      docker: {
        host: engine.host,
        images: { postgres: pgImage, redis: redisImage, kafka: kafkaImage, toxiproxy: toxiImage },
      },
    };
    const direct = endpoints.services;
    const broker = direct.kafka.directBrokers[0] as string;
    progress('starting postgres, redis, kafka, toxiproxy containers');
    // Each service is started and made ready on its own (database, topics, proxies), all at once:
    // the slowest (Kafka's JVM) sets the start time, not the sum of the steps after it.
    const toxiPorts: [number, number][] = [plan.toxiPort, ...plan.listenPorts.values()].map((p) => [p, p]);
    const [pgC, redisC, kafkaC, toxiC] = await allStarted([
      timed('postgres', async () => {
        const started = await postgresContainer(spec(pgImage, [[plan.pgPort, 5432]]));
        await runStatement(
          postgresUrl({ user: 'cpqchaos', database: 'postgres' }, plan.pgPort),
          'create database cpqchaos',
        );
        await runStatement(direct.postgres.directUrl, 'create extension if not exists pg_stat_statements');
        return started;
      }),
      timed('redis', () => redisContainer(spec(redisImage, [[plan.redisPort, 6379]]))),
      timed('kafka', async () => {
        // Ready when its metadata answers (the native backend's sign too), then the contract's topics.
        const answers = () => topicsWithLeaders(broker);
        const started = await kafkaContainer(spec(kafkaImage, [[plan.kafkaDirect, plan.kafkaDirect]]), info, answers);
        await createTopics(broker, KAFKA_TOPICS, info.partitions);
        return started;
      }),
      timed('toxiproxy', () => toxiproxyContainer(spec(toxiImage, toxiPorts), plan.toxiPort)).then(async (started) => {
        await timed('proxies', () => createProxies(direct.toxiproxy.url, proxySpecs(plan)));
        return started;
      }),
    ]);
    const env = environmentOf(endpoints, docker, {
      postgres: pgC.getId(),
      redis: redisC.getId(),
      kafka: kafkaC.getId(),
      toxiproxy: toxiC.getId(),
    });
    writeManifest({ ...manifest, endpoints, containers: { ...manifest.containers!, ids: env.containerIds() } });
    if (watchdog) env.watchdog = watchdog;
    env.timings = { ...timings, total: Math.round(performance.now() - began) };
    guard(env);
    return env;
  } catch (error) {
    watchdog?.release();
    await removeEnvironmentContainers(docker, id).catch(() => undefined);
    const logs = logTails(path.join(dir, 'logs'));
    if (logs) process.stderr.write(logs);
    fs.rmSync(dir, { recursive: true, force: true });
    throw error instanceof InfraError
      ? error
      : new InfraError(`the container environment did not start: ${(error as Error).message}`);
  } finally {
    release(cleanup);
  }
}

export type { Docker };

/**
 * The four services as containers (testcontainers' GenericContainer) on one network per
 * environment, each published on 127.0.0.1 of this machine at the port the environment's plan
 * chose, and each launched by an explicit command that works in the official image and in the
 * equivalent built from Debian alike (PostgreSQL's binaries under /usr/lib/postgresql, `redis-server`
 * and `java` on the PATH, `/toxiproxy`). Every container carries the environment's label.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import type { KafkaInfo } from '../kafka.ts';
import { LOG4J, clusterId, kafkaJvmOptions, serverProperties } from '../kafka.ts';
import { ENV_LABEL } from './docker-client.ts';
import { ProbeWait } from './start-steps.ts';
import { SERVER_SETTINGS } from '../postgres.ts';

/** A container started for environment `envId`, named `<prefix>-<service>`. */
export interface ServiceContainerSpec {
  envId: string;
  network: string;
  image: string;
  /** Host port (127.0.0.1) → container port. */
  ports: [number, number][];
  /** Where its output goes (the environment's `logs/`). */
  logDir: string;
}

/** GenericContainer whose published ports bind 127.0.0.1 only (testcontainers binds every address). */
class LoopbackContainer extends GenericContainer {
  constructor(
    image: string,
    private readonly loopback: [number, number][],
  ) {
    super(image);
    this.withExposedPorts(...loopback.map(([host, container]) => ({ host, container })));
  }

  protected override async beforeContainerCreated(): Promise<void> {
    for (const [host, container] of this.loopback)
      this.hostConfig.PortBindings = {
        ...this.hostConfig.PortBindings,
        [`${container}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(host) }],
      };
  }
}

function base(spec: ServiceContainerSpec, service: string): GenericContainer {
  const log = path.join(spec.logDir, `${service}.log`);
  return new LoopbackContainer(spec.image, spec.ports)
    .withLogConsumer((stream) => stream.pipe(fs.createWriteStream(log, { flags: 'a' })))
    .withName(`cpqchaos-${spec.envId}-${service}`)
    .withLabels({ [ENV_LABEL]: spec.envId, 'cpqchaos.service': service })
    .withNetworkMode(spec.network)
    .withNetworkAliases(service)
    .withStartupTimeout(120_000);
}

/** PostgreSQL's data dir inside its container (owned by the `postgres` user in both images). */
const PGDATA = '/var/lib/postgresql/cpqchaos';

/**
 * PostgreSQL on 5432: initdb on first start (trust auth, user `cpqchaos`, from any address: the host
 * reaches it through Docker's bridge), pg_stat_statements preloaded.
 */
export function postgresContainer(spec: ServiceContainerSpec): Promise<StartedTestContainer> {
  const script = [
    'set -e',
    'bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)',
    `if [ ! -s ${PGDATA}/PG_VERSION ]; then "$bin/initdb" -D ${PGDATA} -U cpqchaos --auth=trust -E UTF8 --locale=C --no-sync >/dev/null; echo 'host all all all trust' >> ${PGDATA}/pg_hba.conf; fi`,
    `exec "$bin/postgres" -D ${PGDATA} -p 5432 -k /tmp -c listen_addresses='*' ${SERVER_SETTINGS.map((setting) => `-c ${setting}`).join(' ')}`,
  ].join('\n');
  return base(spec, 'postgres')
    .withUser('postgres')
    .withEntrypoint(['sh', '-c', script])
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/))
    .start();
}

/** Where Redis keeps its snapshot inside its container. */
export const REDIS_SNAPSHOT = '/tmp/dump.rdb';

/** Redis on 6379, persistence off (a snapshot only when SAVE is asked for). */
export function redisContainer(spec: ServiceContainerSpec): Promise<StartedTestContainer> {
  return base(spec, 'redis')
    .withEntrypoint([
      'redis-server',
      '--port',
      '6379',
      '--bind',
      '0.0.0.0',
      '--protected-mode',
      'no',
      '--dir',
      '/tmp',
      '--dbfilename',
      'dump.rdb',
      '--appendonly',
      'no',
      '--save',
      '',
    ])
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .start();
}

/**
 * Kafka in KRaft combined mode: the native backend's server.properties, bound to 0.0.0.0; formatted
 * once; ready when `answers` (a metadata call from this machine) resolves.
 */
export function kafkaContainer(
  spec: ServiceContainerSpec,
  info: KafkaInfo,
  answers: () => Promise<unknown>,
): Promise<StartedTestContainer> {
  const conf = '/opt/cpqchaos';
  const jvm = kafkaJvmOptions(`${conf}/log4j.properties`).join(' ');
  const cp = `-cp '/opt/kafka/libs/*'`;
  const script = [
    'set -e',
    'mkdir -p /var/lib/cpqchaos/kafka',
    `java ${jvm} ${cp} kafka.tools.StorageTool format --cluster-id=${clusterId()} -c ${conf}/server.properties --ignore-formatted >/dev/null`,
    `exec java ${jvm} ${cp} kafka.Kafka ${conf}/server.properties`,
  ].join('\n');
  return base(spec, 'kafka')
    .withUser('root')
    .withCopyContentToContainer([
      { content: serverProperties(info, '/var/lib/cpqchaos/kafka', '0.0.0.0'), target: `${conf}/server.properties` },
      { content: LOG4J, target: `${conf}/log4j.properties` },
    ])
    .withEntrypoint(['sh', '-c', script])
    .withWaitStrategy(new ProbeWait(answers))
    .start();
}

/** toxiproxy-server on `port`, every proxy's listen port published too. */
export function toxiproxyContainer(spec: ServiceContainerSpec, port: number): Promise<StartedTestContainer> {
  return base(spec, 'toxiproxy')
    .withEntrypoint(['/toxiproxy', '-host', '0.0.0.0', '-port', String(port)])
    .withWaitStrategy(Wait.forHttp('/version', port))
    .start();
}

/** The container of a started one, as dockerode sees it. */
export const containerOf = (docker: Docker, started: StartedTestContainer) => docker.getContainer(started.getId());

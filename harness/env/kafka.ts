/**
 * Apache Kafka as a native JVM process in KRaft combined mode (broker + controller, one node), from
 * the Maven Central jars. It has one listener per Toxiproxy path, each advertising the proxy's
 * address, so a client that connects through a proxy is told to stay on it; plus a DIRECT listener
 * for authoritative reads. The topics of the contract are created at first start; ready when
 * metadata lists them all with leaders.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { exec } from './exec.ts';
import { createTopics, topicsWithLeaders } from './kafka-admin.ts';
import { NativeService } from './native-service.ts';
import { spawnProcess, type ProcessFiles, type ProcessRecord } from './process.ts';
import type { KafkaRuntime } from './provision/kafka-jars.ts';
import { KAFKA_TOPICS } from './versions.ts';

/** A listener reached through a proxy: Kafka binds `brokerPort`, advertises `advertisedPort`. */
export interface ProxiedListener {
  /** Proxy name, e.g. `relay-kafka`. */
  proxy: string;
  brokerPort: number;
  advertisedPort: number;
}

export interface KafkaInfo {
  directPort: number;
  controllerPort: number;
  listeners: ProxiedListener[];
  partitions: number;
}

export interface KafkaOptions extends ProcessFiles {
  dir: string;
  runtime: KafkaRuntime;
  directPort: number;
  controllerPort: number;
  listeners: ProxiedListener[];
  /** Partitions per topic (default 3). */
  partitions?: number;
  /** Max heap in MiB (default 512). */
  heapMb?: number;
}

/** Kafka listener name for a proxy name: `relay-kafka` → `RELAY_KAFKA`. */
export function listenerName(proxy: string): string {
  return proxy.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * The broker's server.properties for a single-node KRaft cluster. Pure. Listeners bind `bindHost`
 * (127.0.0.1 natively; 0.0.0.0 in a container, where Toxiproxy reaches them by the network's alias);
 * they advertise 127.0.0.1 either way — the proxies' and the direct port as this machine sees them.
 */
export function serverProperties(info: KafkaInfo, logDir: string, bindHost = '127.0.0.1'): string {
  const named = info.listeners.map((l) => ({ name: listenerName(l.proxy), ...l }));
  const listeners = [
    `CONTROLLER://${bindHost}:${info.controllerPort}`,
    `DIRECT://${bindHost}:${info.directPort}`,
    ...named.map((l) => `${l.name}://${bindHost}:${l.brokerPort}`),
  ];
  const advertised = [
    `DIRECT://127.0.0.1:${info.directPort}`,
    ...named.map((l) => `${l.name}://127.0.0.1:${l.advertisedPort}`),
  ];
  const protocols = ['CONTROLLER', 'DIRECT', ...named.map((l) => l.name)].map((n) => `${n}:PLAINTEXT`);
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${info.controllerPort}`,
    `listeners=${listeners.join(',')}`,
    `advertised.listeners=${advertised.join(',')}`,
    `listener.security.protocol.map=${protocols.join(',')}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=DIRECT',
    `log.dirs=${logDir}`,
    `num.partitions=${info.partitions}`,
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'log.flush.interval.messages=9223372036854775807',
    '',
  ].join('\n');
}

/**
 * The broker's JVM options (both backends). C1 only (`TieredStopAtLevel=1`): a broker started for
 * one run spends its first minute compiling, and C2's compiler threads were half of its CPU under
 * `load smoke` (measured per thread); with C1 alone the broker's CPU fell by half there and under
 * `load breakpoint` (0.10 → 0.05 cores), at this harness's rates.
 */
export function kafkaJvmOptions(log4jFile: string, heapMb = 512): string[] {
  return [
    '-Xms128m',
    `-Xmx${heapMb}m`,
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${log4jFile}`,
  ];
}

export const LOG4J = `log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.BrokerServer=INFO
`;

/**
 * Random cluster id in Kafka's format (base64url of 16 bytes, unpadded). Like Kafka's own
 * generator it never starts with '-', which the storage tool would parse as an option.
 */
export function clusterId(random: () => Buffer = () => crypto.randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** A running Kafka broker. */
export class StartedKafka extends NativeService {
  private constructor(
    record: ProcessRecord,
    readonly info: KafkaInfo,
  ) {
    super(record);
  }

  /** Writes the config, formats storage, starts the broker and creates the contract's topics. */
  static async start(options: KafkaOptions): Promise<StartedKafka> {
    const info: KafkaInfo = {
      directPort: options.directPort,
      controllerPort: options.controllerPort,
      listeners: options.listeners,
      partitions: options.partitions ?? 3,
    };
    const logDir = path.join(options.dir, 'data');
    const config = path.join(options.dir, 'server.properties');
    const log4j = path.join(options.dir, 'log4j.properties');
    fs.mkdirSync(logDir, { recursive: true });
    fs.writeFileSync(config, serverProperties(info, logDir));
    fs.writeFileSync(log4j, LOG4J);
    const classpath = `${options.runtime.libs}/*`;
    const jvm = kafkaJvmOptions(log4j, options.heapMb);
    await exec(
      options.runtime.java,
      [...jvm, '-cp', classpath, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId()}`, '-c', config],
      {
        remedy: 'see the storage-format output above',
      },
    );
    const record = await spawnProcess({
      name: 'kafka',
      command: options.runtime.java,
      args: [...jvm, '-cp', classpath, 'kafka.Kafka', config],
      cwd: options.dir,
      logFile: options.logFile,
      pidFile: options.pidFile,
      stopSignal: 'SIGTERM',
    });
    const broker = new StartedKafka(record, info);
    await broker.waitUntilReady();
    await createTopics(broker.directBroker, KAFKA_TOPICS, info.partitions);
    await broker.waitUntilReady();
    return broker;
  }

  static attach(record: ProcessRecord, info: KafkaInfo): StartedKafka {
    return new StartedKafka(record, info);
  }

  /** `127.0.0.1:PORT` of the DIRECT listener (bypasses Toxiproxy). */
  get directBroker(): string {
    return `127.0.0.1:${this.info.directPort}`;
  }

  protected override readyTimeoutMs(): number {
    return 60_000;
  }

  /** Ready when metadata answers; after the first start, when it lists every contract topic. */
  protected override async probe(): Promise<void> {
    const topics = new Set(await topicsWithLeaders(this.directBroker));
    const created = KAFKA_TOPICS.some((topic) => topics.has(topic));
    const missing = KAFKA_TOPICS.filter((topic) => !topics.has(topic));
    if (created && missing.length > 0) throw new Error(`topics without leaders: ${missing.join(', ')}`);
  }
}

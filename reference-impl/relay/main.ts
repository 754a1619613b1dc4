/**
 * The outbox relay process: its own pool (through the relay's PostgreSQL proxy), an idempotent
 * Kafka producer (through the relay's Kafka proxy), and an ops server for health and metrics.
 * It starts with Kafka unreachable (an operator restarting it during a broker outage): the rows
 * wait in the outbox, and the relay claims none until its producer has connected.
 */
import { createPool } from '../adapters/postgres/pool.ts';
import { eventProducer, kafkaClient, PRODUCER_RETRY } from '../adapters/kafka/kafka.ts';
import { startComponentServer } from '../adapters/http/component-server.ts';
import { Failpoints } from '../app/failpoints.ts';
import { Metrics } from '../app/metrics.ts';
import { readConfig } from '../config.ts';
import { createLogger, failStart, onShutdown } from '../lifecycle.ts';
import { OutboxRelay } from './relay.ts';

async function main(): Promise<void> {
  const config = readConfig('relay');
  const log = createLogger('relay', config.instanceId, config.logLevel);
  const pool = createPool({ url: config.databaseUrl, applicationName: `cpq-${config.instanceId}`, max: 4 }, (error) =>
    log.warn({ err: error }, 'idle database client error'),
  );
  const metrics = new Metrics('relay', config.instanceId);
  const failpoints = new Failpoints();
  const producer = eventProducer(kafkaClient(config.kafkaBrokers, config.instanceId, log, PRODUCER_RETRY));
  let stopping = false;
  const relay = new OutboxRelay({
    pool,
    producer,
    relayId: config.instanceId,
    metrics,
    failpoints,
    log,
    marksBeforePublish: config.bugs.has('relay-marks-before-publish'), // planted bug: relay-marks-before-publish
    dropsFailedBatch: config.bugs.has('relay-drops-failed-batch'), // planted bug: relay-drops-failed-batch
  });
  relay.startGauges();
  void (async () => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await producer.connect();
        if (attempt > 1) log.info({ attempt }, 'kafka reachable: relaying');
        if (!stopping) relay.start();
        return;
      } catch (error) {
        log.warn({ err: (error as Error).message, attempt }, 'kafka unreachable; rows wait in the outbox');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();
  const server = await startComponentServer(config.port, {
    metrics,
    failpoints,
    failpointsEnabled: config.failpoints,
    health: async () => {
      await pool.query('select 1');
      return {};
    },
  });
  log.info({ port: config.port, bugs: config.bugs.list() }, 'relay ready');
  onShutdown(log, async () => {
    stopping = true;
    await Promise.allSettled([server.close(), relay.stop()]);
    await producer.disconnect();
    await pool.end();
  });
}

main().catch((error: unknown) => failStart('relay', error));

/**
 * A consumers process. `CPQ_CONSUMERS` picks which consumers it runs (default `billing,projection`;
 * `cpqchaos serve` runs `invalidation` in a process of its own so it can be paused or killed alone).
 */
import { kafkaClient, runConsumer, type ConsumerSpec } from '../adapters/kafka/kafka.ts';
import { startComponentServer } from '../adapters/http/component-server.ts';
import { readConfig } from '../config.ts';
import { createLogger, failStart, onShutdown } from '../lifecycle.ts';
import { wire } from '../wiring.ts';
import { billingConsumer } from './billing.ts';
import { invalidationConsumer, POINTER_TTL_MS } from './invalidation.ts';
import { startPointerResync } from './pointer-resync.ts';
import { projectionConsumer } from './projection.ts';

const KNOWN = ['billing', 'projection', 'invalidation'] as const;

async function main(): Promise<void> {
  const names = (process.env.CPQ_CONSUMERS ?? 'billing,projection').split(',').filter(Boolean);
  const unknown = names.filter((n) => !(KNOWN as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`CPQ_CONSUMERS: unknown consumer ${unknown.join(', ')} (known: ${KNOWN.join(', ')})`);
  const config = readConfig(names.join('+'));
  const log = createLogger('consumers', config.instanceId, config.logLevel);
  const { ctx, pool, close } = wire(config, log);
  const dedupe = !config.bugs.has('consumer-no-dedupe'); // planted bug: consumer-no-dedupe
  const separateTransactions = config.bugs.has('inbox-separate-transaction'); // planted bug: inbox-separate-transaction
  const skipFailures = config.bugs.has('consumer-skips-failed-events'); // planted bug: consumer-skips-failed-events
  const specs: ConsumerSpec[] = names.map((name) => {
    const inbox = {
      pool,
      consumer: name,
      metrics: ctx.metrics,
      failpoints: ctx.failpoints,
      dedupe,
      separateTransactions,
    };
    if (name === 'billing') return { ...billingConsumer(inbox), skipFailures };
    if (name === 'projection') return { ...projectionConsumer(inbox), skipFailures };
    let lastWarning = 0;
    return invalidationConsumer({
      redis: ctx.cache.raw,
      keys: ctx.keys,
      metrics: ctx.metrics,
      deleteKeys: config.bugs.has('delete-invalidation'), // planted bug: delete-invalidation
      onRetry: (error) => {
        if (Date.now() - lastWarning > 5000) log.warn({ err: error.message }, 'invalidation waits for Redis');
        lastWarning = Date.now();
      },
    });
  });
  const stopResync = names.includes('invalidation')
    ? startPointerResync({
        redis: ctx.cache.raw,
        keys: ctx.keys,
        pointers: ctx.store.pointers,
        ttlMs: POINTER_TTL_MS,
        onResync: (details) => log.info(details, 'cache server restarted: pointers re-synced from PostgreSQL'),
        onError: () => undefined, // Redis unreachable: invalidation logs that already
      })
    : () => undefined;
  const kafka = kafkaClient(config.kafkaBrokers, config.instanceId, log);
  const consumers = await Promise.all(specs.map((spec) => runConsumer(kafka, spec, log)));
  const server = await startComponentServer(config.port, {
    metrics: ctx.metrics,
    failpoints: ctx.failpoints,
    failpointsEnabled: config.failpoints,
    health: async () => {
      await pool.query('select 1');
      const waiting = consumers.filter((c) => !c.joined()).length;
      if (waiting > 0) throw new Error(`${waiting} consumer(s) have not joined their group yet`);
      return { consumers: names };
    },
  });
  log.info({ port: config.port, consumers: names, bugs: config.bugs.list() }, 'consumers ready');
  onShutdown(log, async () => {
    stopResync();
    await Promise.allSettled([server.close(), ...consumers.map((c) => c.stop())]);
    await close();
  });
}

main().catch((error: unknown) => failStart('consumers', error));

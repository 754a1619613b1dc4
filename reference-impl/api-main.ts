/**
 * One API instance of the reference CPQ/OMS: migrates the schema (once across instances), serves
 * the HTTP API on 127.0.0.1:CPQ_PORT, and evicts its L1 cache from the reference-data events.
 */
import { TOPICS } from './domain/events.ts';
import { migrate } from './adapters/postgres/migrate.ts';
import { buildApi } from './adapters/http/server.ts';
import { kafkaClient, runConsumer } from './adapters/kafka/kafka.ts';
import type { VersionedDomain } from './domain/types.ts';
import { readConfig } from './config.ts';
import { createLogger, failStart, onShutdown } from './lifecycle.ts';
import { wire } from './wiring.ts';

const DOMAIN_OF: Record<string, VersionedDomain> = {
  [TOPICS.catalog]: 'catalog',
  [TOPICS.pricing]: 'pricing',
  [TOPICS.policy]: 'policy',
};

async function main(): Promise<void> {
  const config = readConfig('api');
  const log = createLogger('api', config.instanceId, config.logLevel);
  const { ctx, pool, close } = wire(config, log);
  const uniqueOrderKey = !config.bugs.has('convert-not-idempotent') && !config.bugs.has('idempotency-redis-only'); // planted bugs: the naive conversion has no unique order key
  try {
    await migrate(pool, { uniqueOrderKey });
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(
      /could not create unique index/.test(message)
        ? 'customer_order holds duplicate orders from a run with a planted idempotency bug; start from a fresh environment (npx cpqchaos env down && npx cpqchaos env up)'
        : `migration failed: ${message}`,
    );
  }
  let l1Joined = (): boolean => false;
  const api = buildApi({
    ctx,
    pool,
    failpointsEnabled: config.failpoints,
    healthDetails: () => ({ l1Invalidation: l1Joined() ? 'joined' : 'joining' }),
  });
  await api.listen({ host: '127.0.0.1', port: config.port });
  log.info({ port: config.port, bugs: config.bugs.list() }, 'api ready');
  // L1 eviction is an optimisation (L1 pointers live one second): join in the background, in a
  // group of this process's own so a killed predecessor's membership never delays it.
  const kafka = kafkaClient(config.kafkaBrokers, config.instanceId, log);
  const l1Consumer = runConsumer(
    kafka,
    {
      groupId: `cpq-api-l1-${config.instanceId}-${process.pid}`,
      topics: [TOPICS.catalog, TOPICS.pricing, TOPICS.policy],
      fromBeginning: false,
      handle: async (event) => {
        const { domain, version } = event.payload as { domain?: VersionedDomain; version?: number };
        if (domain && typeof version === 'number' && Object.values(DOMAIN_OF).includes(domain))
          ctx.reader.observe(event.tenantId, domain, version);
      },
    },
    log,
  );
  l1Consumer.then(
    (running) => (l1Joined = running.joined),
    (error: unknown) => log.error({ err: (error as Error).message }, 'L1 invalidation consumer did not start'),
  );
  onShutdown(log, async () => {
    await Promise.allSettled([api.close(), l1Consumer.then((c) => c.stop())]);
    await close();
  });
}

main().catch((error: unknown) => failStart('api', error));

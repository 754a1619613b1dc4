/**
 * Probes for the planted bugs only a fault class beyond brief outages reaches: each drives the one
 * fault its defect needs (an outage longer than the relay's retries, a frozen Redis, a crash between
 * a consumer's effect and its inbox row, connections cut mid-transaction, refused writes, a clock
 * jumping back) and returns true when the defect was observed — never on the correct system.
 */
import { clockSkew } from '../../faults/clock-faults.ts';
import { proxyDisable, proxyToxic } from '../../faults/network-faults.ts';
import { postgresRefusesWrites } from '../../faults/refusal-faults.ts';
import { cachedPointerIs, during, expect201, type Probe } from './probe-helpers.ts';
import { acceptedQuote, eventually, seedTenant, sleep, type Stack } from './stack.ts';

const count = async (stack: Stack, sql: string, params: unknown[]) =>
  (await stack.db.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0;

/** Billing effects of `orderId` (rows of billing_trigger). */
const billed = (stack: Stack, orderId: unknown) =>
  count(stack, 'select count(*)::int as n from billing_trigger where order_id = $1', [orderId]);

export const FAULT_CLASS_PROBES: Record<string, Probe> = {
  /** Kafka refused for 9 s (beyond the relay's ~3 s of retries): is the quote's event published once it is back? */
  'relay-drops-failed-batch': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    const created = await during(stack, proxyDisable('relay-kafka'), async () => {
      const quote = await client.createQuote('c', 'EUR', [{ offeringId: 'router', quantity: 1 }]);
      await sleep(9000);
      return quote;
    });
    const published = await eventually(
      async () =>
        (await count(
          stack,
          "select count(*)::int as n from outbox_event where aggregate_id = $1 and status = 'published'",
          [created.body.quoteId],
        )) === 1,
      20_000,
    );
    return !published;
  },

  /** Redis frozen for 6 s: does a command hang with it (more than 4 s) instead of degrading? */
  'redis-no-timeout': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    await stack.env.redis.pause();
    const started = performance.now();
    const frozen = setTimeout(() => void stack.env.redis.resume(), 6000);
    try {
      const created = await client
        .createQuote('c', 'EUR', [{ offeringId: 'router', quantity: 1 }])
        .catch(() => undefined);
      return created?.status !== 201 || performance.now() - started > 4000;
    } finally {
      clearTimeout(frozen);
      await stack.env.redis.resume();
    }
  },

  /** The billing consumer crashes between its effect and its inbox row: is the order billed twice after redelivery? */
  'inbox-separate-transaction': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    const quoteId = await acceptedQuote(client);
    await stack.arm('consumers', 'consumer.after-effect-before-inbox', { action: 'crash', consumer: 'billing' });
    const consumers = stack.system.component('consumers');
    const order = await client.convert(quoteId, 'k');
    await eventually(async () => !consumers.isRunning(), 20_000);
    await consumers.start();
    await eventually(async () => (await billed(stack, order.body.orderId)) >= 1, 30_000);
    await sleep(3000); // a second effect, if any, lands within this
    return (await billed(stack, order.body.orderId)) > 1;
  },

  /** The API's connections cut mid-transaction under 40 converts: does the instance still answer 5 s after? */
  'leak-broken-connections': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    // Converts, because each is a transaction of several statements (a create, a price or a submit
    // is one or two statements, each atomic on its own).
    const quotes = await Promise.all(Array.from({ length: 40 }, () => acceptedQuote(client)));
    const cut = proxyToxic(
      'api-postgres',
      'limit_data',
      { bytes: 600 },
      { streams: ['upstream'], name: 'postgres-cut' },
    );
    await during(stack, cut, async () => {
      await Promise.all(quotes.map((quoteId) => client.convert(quoteId, `k-${quoteId}`).catch(() => undefined)));
    });
    await sleep(5000);
    const after = await Promise.all(
      Array.from({ length: 5 }, () =>
        client.createQuote('c', 'EUR', [{ offeringId: 'router', quantity: 1 }]).catch(() => undefined),
      ),
    );
    return after.some((r) => r?.status !== 201);
  },

  /** PostgreSQL refuses the billing write for 4 s: is the order billed once it accepts writes again? */
  'consumer-skips-failed-events': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    const quoteId = await acceptedQuote(client);
    const order = await during(stack, postgresRefusesWrites(['billing_trigger']), async () => {
      const converted = await client.convert(quoteId, 'k');
      await sleep(4000);
      return converted;
    });
    return !(await eventually(async () => (await billed(stack, order.body.orderId)) === 1, 30_000));
  },

  /**
   * api-1's clock ten minutes back, no instance hearing events: does it serve a superseded catalog
   * 7 s after a publish? The events are cut before api-1 caches its pointer: a seed event heard
   * after the read would evict it, and the read after the publish would find the new version.
   */
  'wall-clock-ttl': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    await cachedPointerIs(stack, tenant, 'catalog', 1);
    const api1 = client.on(stack.system.component('api-1').url);
    return during(stack, proxyDisable('api-kafka'), async () => {
      await sleep(1000); // an event fetched before the cut is handled by now
      await api1.getOffering('router');
      return during(stack, clockSkew('api-1', -600_000), async () => {
        expect201(
          await client.publishCatalog([{ offeringId: 'router', name: 'Router v2', family: 'net', active: true }]),
        );
        await cachedPointerIs(stack, tenant, 'catalog', 2);
        await sleep(7000); // past the pointer's freshness and its stale-while-revalidate window
        return (await api1.getOffering('router')).body.catalogVersion !== 2;
      });
    });
  },
};

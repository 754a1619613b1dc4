/**
 * One probe per planted bug: a short, targeted interaction (with a fault where the defect needs one)
 * that returns true when the defect was observed. Run against the correct system every probe must
 * return false; against a system with its bug switched on, true. The gate's checkers are proven in
 * issue 4; these prove each switch really changes behaviour.
 */
import { consumeUntil } from '../../env/testing/clients.ts';
import { proxyDisable } from '../../faults/network-faults.ts';
import { staleCacheWindow } from '../../faults/process-faults.ts';
import type { CpqClient } from '../cpq-client.ts';
import { FAULT_CLASS_PROBES } from './fault-class-probes.ts';
import { cachedPointerIs, during, expect201, l1Joined, stampedeLoads, type Probe } from './probe-helpers.ts';
import { acceptedQuote, eventually, ordersInDb, pricedQuote, seedTenant, sleep, type Stack } from './stack.ts';

export { l1Joined, stampedeLoads } from './probe-helpers.ts';

/** Same-key converts from every instance at once; true if more than one order exists afterwards. */
async function concurrentConverts(stack: Stack, client: CpqClient, tenant: string, rounds: number): Promise<boolean> {
  for (let round = 0; round < rounds; round++) {
    const quoteId = await acceptedQuote(client);
    await Promise.all(
      stack.system.apiUrls.flatMap((url) =>
        Array.from({ length: 6 }, () =>
          client
            .on(url)
            .convert(quoteId, `race-${round}`)
            .catch(() => undefined),
        ),
      ),
    );
    if ((await ordersInDb(stack.db, tenant, quoteId)) > 1) return true;
  }
  return false;
}

export const BUG_PROBES: Record<string, Probe> = {
  'submit-trusts-cache': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    const quoteId = await pricedQuote(client);
    await cachedPointerIs(stack, tenant, 'pricing', 1);
    return during(stack, staleCacheWindow, async () => {
      expect201(await client.publishPriceList('EUR', [{ offeringId: 'router', unitPriceCents: 12_000 }]));
      await sleep(1200); // past the L1 pointer's freshness
      return (await client.transition(quoteId, 'submit')).status === 200;
    });
  },

  'no-version-check': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    const quoteId = await pricedQuote(client);
    expect201(await client.publishPriceList('EUR', [{ offeringId: 'router', unitPriceCents: 12_000 }]));
    return (await client.transition(quoteId, 'submit')).status === 200;
  },

  'policy-from-cache': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client, { maxDiscount: 20 });
    const quoteId = await pricedQuote(client, 15);
    await cachedPointerIs(stack, tenant, 'policy', 1);
    return during(stack, staleCacheWindow, async () => {
      expect201(await client.publishPolicy(10));
      await sleep(1200);
      const submitted = await client.transition(quoteId, 'submit');
      if (submitted.status !== 200 || submitted.body.state !== 'SUBMITTED') return false;
      return (await client.transition(quoteId, 'accept')).body.state === 'ACCEPTED'; // accepted without the approval v2 requires
    });
  },

  'convert-not-idempotent': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    const quoteId = await acceptedQuote(client);
    const first = await client.convert(quoteId, 'k');
    const replay = await client.convert(quoteId, 'k');
    const replayDiffers = JSON.stringify(replay) !== JSON.stringify(first);
    return replayDiffers && (await concurrentConverts(stack, client, tenant, 3));
  },

  'idempotency-redis-only': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    await stack.env.redis.stop();
    try {
      return await concurrentConverts(stack, client, tenant, 3);
    } finally {
      await stack.env.redis.start();
    }
  },

  'relay-marks-before-publish': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    await sleep(1000);
    const relay = stack.system.component('relay');
    const eventId = await during(stack, proxyDisable('relay-kafka'), async () => {
      const created = await client.createQuote('c', 'EUR', [{ offeringId: 'router', quantity: 1 }]);
      const claimed = await eventually(async () => {
        const { rows } = await stack.db.query(
          "select event_id from outbox_event where aggregate_id = $1 and status <> 'pending'",
          [created.body.quoteId],
        );
        return rows[0]?.event_id as string | undefined;
      }, 10_000);
      if (!claimed) throw new Error('the relay never claimed the event');
      await relay.kill(); // crashes while Kafka is unreachable
      return claimed;
    });
    await relay.start();
    try {
      await consumeUntil(
        stack.env.endpoints.services.kafka.directBrokers,
        'cpq.quote.events',
        (values) => values.some((v) => v.includes(eventId)),
        15_000,
      );
      return false;
    } catch {
      return true; // never reached Kafka
    }
  },

  'consumer-no-dedupe': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    const quoteId = await acceptedQuote(client);
    await stack.arm('consumers', 'consumer.after-effect-before-commit', { action: 'crash', consumer: 'billing' });
    const consumers = stack.system.component('consumers');
    const order = await client.convert(quoteId, 'k');
    await eventually(async () => !consumers.isRunning(), 20_000);
    await consumers.start();
    const count = async () =>
      (await stack.db.query('select count(*)::int as n from billing_trigger where order_id = $1', [order.body.orderId]))
        .rows[0].n as number;
    await eventually(async () => (await count()) >= 1, 20_000);
    await sleep(3000); // the redelivery, if any, lands within this
    return (await count()) > 1;
  },

  'tenantless-cache-keys': async (stack, tenant) => {
    const [a, b] = [stack.client(`${tenant}-a`), stack.client(`${tenant}-b`)];
    await seedTenant(a, { priceCents: 111, name: 'Router of A' });
    await seedTenant(b, { priceCents: 222, name: 'Router of B' });
    await a.getPrice('router', 'EUR');
    await a.getOffering('router');
    const [price, offering] = [await b.getPrice('router', 'EUR'), await b.getOffering('router')];
    return price.body.unitPriceCents !== 222 || offering.body.name !== 'Router of B';
  },

  'delete-invalidation': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client, { priceCents: 100 });
    await l1Joined(stack);
    for (const url of stack.system.apiUrls) await client.on(url).getPrice('router', 'EUR');
    const invalidation = stack.system.component('invalidation');
    await invalidation.pause();
    try {
      expect201(await client.publishPriceList('EUR', [{ offeringId: 'router', unitPriceCents: 200 }]));
      const read = await eventually(async () => {
        const response = await client.getPrice('router', 'EUR');
        return response.body.priceListVersion === 2 ? response : undefined;
      }, 10_000);
      return read?.body.unitPriceCents !== 200; // version 2 claimed, version 1's price served
    } finally {
      await invalidation.resume();
    }
  },

  'no-single-flight': async (stack, tenant) => (await stampedeLoads(stack, tenant)).loads > stack.system.apiUrls.length,

  ...FAULT_CLASS_PROBES,

  'redis-required': async (stack, tenant) => {
    const client = stack.client(tenant);
    await seedTenant(client);
    await stack.env.redis.stop();
    try {
      const created = await client.createQuote('c', 'EUR', [{ offeringId: 'router', quantity: 1 }]);
      return created.status !== 201;
    } finally {
      await stack.env.redis.start();
    }
  },
};

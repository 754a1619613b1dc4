// Integration: the reference CPQ/OMS as built (no planted bugs) on real PostgreSQL, Redis, Kafka and
// Toxiproxy — the whole quote-to-order flow, stale submits rejected, idempotent conversion, commands
// surviving a Redis outage, the relay crashing after publish, tenant isolation, malformed input,
// the stampede bound, reconciliation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeUntil } from '../env/testing/clients.ts';
import { stampedeLoads } from './testing/bug-probes.ts';
import {
  acceptedQuote,
  eventually,
  ordersInDb,
  pricedQuote,
  seedTenant,
  sleep,
  startStack,
  type Stack,
} from './testing/stack.ts';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ failpoints: true });
});

afterAll(async () => {
  await stack?.stop();
});

describe('quote to order', () => {
  it('walks create → price → submit → approve → accept → convert, with the order billed once', async () => {
    const client = stack.client('flow');
    await seedTenant(client, { priceCents: 10_000, maxDiscount: 10 });
    const created = await client.createQuote('cust-1', 'EUR', [{ offeringId: 'router', quantity: 3, discountPct: 15 }]);
    expect(created).toMatchObject({ status: 201, body: { state: 'DRAFT', revision: 1 } });
    const quoteId = created.body.quoteId;
    const priced = await client.transition(quoteId, 'price');
    expect(priced.body).toMatchObject({
      state: 'PRICED',
      revision: 2,
      totalCents: 25_500,
      catalogVersion: 1,
      priceListVersion: 1,
      policyVersion: 1,
      approvalRequired: true,
    });
    expect((await client.transition(quoteId, 'submit')).body.state).toBe('APPROVAL_PENDING');
    expect((await client.transition(quoteId, 'accept')).body).toMatchObject({ code: 'APPROVAL_REQUIRED' });
    expect((await client.transition(quoteId, 'approve')).body.state).toBe('APPROVED');
    expect((await client.on(stack.system.apiUrls[1] as string).transition(quoteId, 'accept')).body.state).toBe(
      'ACCEPTED',
    );
    const converted = await client.convert(quoteId, 'flow-key-1');
    expect(converted.status).toBe(201);
    expect(converted.body).toMatchObject({ sourceQuoteId: quoteId, sourceQuoteRevision: 5, totalCents: 25_500 });
    expect((await client.getQuote(quoteId)).body.state).toBe('CONVERTED');
    expect((await client.getOrder(converted.body.orderId)).body.orderId).toBe(converted.body.orderId);
    const billed = await eventually(async () => {
      const { rows } = await stack.db.query('select count(*)::int as n from billing_trigger where order_id = $1', [
        converted.body.orderId,
      ]);
      return rows[0].n === 1 ? rows[0].n : 0;
    });
    expect(billed).toBe(1);
  });

  it.each([
    [
      'a new price list',
      'QUOTE_PRICING_STALE',
      (c: Stack['client'] extends (...a: never[]) => infer R ? R : never) =>
        c.publishPriceList('EUR', [{ offeringId: 'router', unitPriceCents: 11_000 }]),
    ],
    [
      'a new catalog',
      'CATALOG_VERSION_STALE',
      (c: Stack['client'] extends (...a: never[]) => infer R ? R : never) =>
        c.publishCatalog([{ offeringId: 'router', name: 'Router v2', family: 'network', active: true }]),
    ],
    [
      'a new approval policy',
      'APPROVAL_POLICY_STALE',
      (c: Stack['client'] extends (...a: never[]) => infer R ? R : never) => c.publishPolicy(5),
    ],
  ])('rejects a submit priced before %s as %s, immediately and on every instance', async (_what, code, publish) => {
    const client = stack.client(`stale-${code.toLowerCase()}`);
    await seedTenant(client);
    const quoteId = await pricedQuote(client);
    expect((await publish(client)).status).toBe(201);
    const submit = await client.on(stack.system.apiUrls[1] as string).transition(quoteId, 'submit');
    expect(submit).toMatchObject({ status: 409, body: { code } });
    expect((submit.body as { remediation?: string }).remediation).toContain('price the quote again');
    expect((await client.getQuote(quoteId)).body.state).toBe('PRICED');
    expect((await client.transition(quoteId, 'price')).status).toBe(200);
    expect((await client.transition(quoteId, 'submit')).status).toBe(200);
  });
});

describe('idempotent conversion', () => {
  it('the same key twice gives one order and the same response; another key gets 409 naming it', async () => {
    const client = stack.client('idem');
    await seedTenant(client);
    const quoteId = await acceptedQuote(client);
    const [first, again] = [
      await client.convert(quoteId, 'k-1'),
      await client.on(stack.system.apiUrls[1] as string).convert(quoteId, 'k-1'),
    ];
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    const other = await client.convert(quoteId, 'k-2');
    expect(other).toMatchObject({
      status: 409,
      body: { code: 'QUOTE_ALREADY_CONVERTED', orderId: first.body.orderId },
    });
    expect(await ordersInDb(stack.db, 'idem', quoteId)).toBe(1);
  });

  it('concurrent retries with one key create one order and all get the same response', async () => {
    const client = stack.client('idem-race');
    await seedTenant(client);
    const quoteId = await acceptedQuote(client);
    const responses = await Promise.all(
      stack.system.apiUrls.flatMap((url) =>
        Array.from({ length: 4 }, () => client.on(url).convert(quoteId, 'race-key')),
      ),
    );
    expect(new Set(responses.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(responses[0]?.status).toBe(201);
    expect(await ordersInDb(stack.db, 'idem-race', quoteId)).toBe(1);
  });

  it('the same key for another request is 422 IDEMPOTENCY_KEY_REUSED; no key is 400', async () => {
    const client = stack.client('idem-reuse');
    await seedTenant(client);
    const [a, b] = [await acceptedQuote(client), await acceptedQuote(client)];
    expect((await client.convert(a, 'shared')).status).toBe(201);
    expect(await client.convert(b, 'shared')).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await client.convert(b, undefined)).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(await ordersInDb(stack.db, 'idem-reuse', b)).toBe(0);
  });
});

describe('Redis is an accelerator only', () => {
  it('with Redis stopped, create, price, submit, accept and convert still succeed', async () => {
    const client = stack.client('no-redis');
    await seedTenant(client);
    await stack.env.redis.stop();
    try {
      const created = await client.createQuote('c', 'EUR', [{ offeringId: 'router', quantity: 1 }]);
      expect(created.status).toBe(201);
      const id = created.body.quoteId;
      expect((await client.transition(id, 'price')).status).toBe(200);
      expect((await client.transition(id, 'submit')).body.state).toBe('SUBMITTED');
      expect((await client.transition(id, 'accept')).status).toBe(200);
      expect((await client.convert(id, 'no-redis-key')).status).toBe(201);
      expect((await client.convert(id, 'no-redis-key')).status).toBe(201);
      expect(await ordersInDb(stack.db, 'no-redis', id)).toBe(1);
      expect((await client.getPrice('router', 'EUR')).body).toMatchObject({ unitPriceCents: 10_000 });
    } finally {
      await stack.env.redis.start();
    }
  });
});

describe('outbox and consumers', () => {
  it('a relay killed after publishing, before marking, publishes again on restart; billing still happens once', async () => {
    const client = stack.client('relay-crash');
    await seedTenant(client);
    const quoteId = await acceptedQuote(client);
    await sleep(1500); // let the relay drain what came before
    await stack.arm('relay', 'relay.after-publish-before-mark', { action: 'crash' });
    const relay = stack.system.component('relay');
    const converted = await client.convert(quoteId, 'relay-crash-key');
    expect(converted.status).toBe(201);
    expect(await eventually(async () => !relay.isRunning(), 10_000)).toBe(true);
    const { rows: pending } = await stack.db.query(
      "select event_id, status from outbox_event where tenant_id = 'relay-crash' and event_type = 'OrderCreated'",
    );
    expect(pending).toEqual([{ event_id: expect.any(String), status: 'claimed' }]);
    await relay.start();
    const eventId = pending[0].event_id as string;
    const seen = await consumeUntil(
      stack.env.endpoints.services.kafka.directBrokers,
      'cpq.order.events',
      (values) => values.filter((v) => v.includes(eventId)).length >= 2,
      30_000,
    );
    expect(seen.filter((v) => v.includes(eventId)).length).toBeGreaterThanOrEqual(2);
    const status = await eventually(async () => {
      const { rows } = await stack.db.query('select status from outbox_event where event_id = $1', [eventId]);
      return rows[0].status === 'published' ? rows[0].status : undefined;
    });
    expect(status).toBe('published');
    const { rows: billing } = await stack.db.query(
      'select count(*)::int as n from billing_trigger where order_id = $1',
      [converted.body.orderId],
    );
    expect(billing[0].n).toBe(1);
  });

  it('reconcile reports unpublished outbox rows while the relay is down, and nothing once it caught up', async () => {
    const client = stack.client('reconcile');
    await seedTenant(client);
    await sleep(1500);
    const relay = stack.system.component('relay');
    await relay.stop();
    try {
      expect((await client.createQuote('c', 'EUR', [{ offeringId: 'router', quantity: 1 }])).status).toBe(201);
      const { body } = await client.reconcile(0);
      expect(body.findings.map((f) => f.kind)).toContain('outbox-stuck');
    } finally {
      await relay.start();
    }
    const clean = await eventually(
      async () => ((await client.reconcile(0)).body.findings.length === 0 ? true : undefined),
      20_000,
    );
    expect(clean).toBe(true);
  });
});

describe('tenants and input', () => {
  it('tenants with the same offering ids never see each other’s data', async () => {
    const [a, b] = [stack.client('tenant-a'), stack.client('tenant-b', 1)];
    await seedTenant(a, { priceCents: 111, name: 'Router of A' });
    await seedTenant(b, { priceCents: 222, name: 'Router of B' });
    for (let i = 0; i < 3; i++) {
      expect((await a.getPrice('router', 'EUR')).body.unitPriceCents).toBe(111);
      expect((await b.getPrice('router', 'EUR')).body.unitPriceCents).toBe(222);
      expect((await a.on(stack.system.apiUrls[1] as string).getOffering('router')).body.name).toBe('Router of A');
      expect((await b.on(stack.system.apiUrls[0] as string).getOffering('router')).body.name).toBe('Router of B');
    }
    const quoteOfA = await pricedQuote(a);
    expect((await b.getQuote(quoteOfA)).status).toBe(404);
  });

  it('malformed bodies get 400 problem+json and write nothing', async () => {
    const client = stack.client('malformed');
    await seedTenant(client);
    const count = async () =>
      (
        await stack.db.query(
          "select (select count(*) from quote where tenant_id = 'malformed') + (select count(*) from outbox_event where tenant_id = 'malformed') as n",
        )
      ).rows[0].n;
    const before = await count();
    const bad: [string, unknown][] = [
      ['/quotes', '{not json'],
      ['/quotes', { customerId: 'c', currency: 'EURO', items: [] }],
      ['/quotes', { customerId: 'c', currency: 'EUR', items: [{ offeringId: 'router', quantity: -1 }] }],
      ['/catalog/publish', { offerings: [{ offeringId: 'a:b', name: '', family: 'f', active: 'yes' }] }],
      ['/price-lists/publish', { currency: 'EUR', entries: [{ offeringId: 'router', unitPriceCents: 1.5 }] }],
      ['/approval-policy/publish', { maxDiscountPctWithoutApproval: 101 }],
      ['/approval-policy/publish', []],
    ];
    for (const [path, body] of bad) {
      const response = await client.request('POST', path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        status: 400,
        type: expect.stringContaining('validation-failed'),
      });
    }
    expect(await count()).toBe(before);
    expect((await stack.client('bad:tenant').getPrice('router', 'EUR')).status).toBe(400);
    expect((await client.getQuote('not-a-uuid')).status).toBe(404);
  });
});

describe('cache behaviour', () => {
  it('200 concurrent misses on one key, with a slow database, cost at most one PostgreSQL load per API instance', async () => {
    const { loads, failed } = await stampedeLoads(stack, 'stampede');
    expect(failed).toBe(0);
    expect(loads).toBeGreaterThanOrEqual(1);
    expect(loads).toBeLessThanOrEqual(stack.system.apiUrls.length);
  });

  it('exposes the metrics it promises', async () => {
    const text = await (await fetch(`${stack.system.apiUrls[0]}/metrics`)).text();
    for (const name of [
      'cpq_cache_hits_total',
      'cpq_cache_misses_total',
      'cpq_source_loads_total',
      'cpq_stale_rejections_total',
      'cpq_http_requests_total',
    ]) {
      expect(text).toContain(name);
    }
    const relay = await (await fetch(stack.system.component('relay').metricsUrl)).text();
    expect(relay).toMatch(/cpq_relay_published_total\{[^}]*topic="cpq\.quote\.events"/);
    expect(relay).toContain('cpq_outbox_backlog');
    const invalidation = await (await fetch(stack.system.component('invalidation').metricsUrl)).text();
    expect(invalidation).toMatch(/cpq_invalidation_lag_seconds_count\{[^}]*domain="pricing"/);
    const consumers = await (await fetch(stack.system.component('consumers').metricsUrl)).text();
    expect(consumers).toContain('cpq_consumer_duplicates_skipped_total');
  });
});

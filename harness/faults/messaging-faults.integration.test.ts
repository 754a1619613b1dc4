// Integration: the messaging family's faults really happen and heal, and the delivery ledger reads
// what really happened. A failpoint crash really kills the billing consumer right after its effect
// (and the heal starts it again, so the redelivered event is absorbed: still one effect); an
// unknown failpoint fails set-up with a usage error; the ledger finds an order's event once on its
// topic and applied once; with the relay cut off from Kafka an event stays undelivered until the heal;
// with the broker's acknowledgements lost on the wire the relay sends again — two copies, one effect.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { Random } from '../core/random.ts';
import { acceptedQuote, eventually, seedTenant, startStack, type Stack } from '../system/testing/stack.ts';
import { failpointCrash } from './failpoint-faults.ts';
import type { FaultContext } from './fault.ts';
import { lostAck, proxyDisable } from './network-faults.ts';

let stack: Stack;
let ctx: FaultContext;

beforeAll(async () => {
  stack = await startStack({ failpoints: true, instances: 1 });
  ctx = {
    env: stack.env,
    system: stack.system,
    random: new Random('messaging-faults'),
    dir: fs.mkdtempSync(path.join(os.tmpdir(), 'mf-')),
  };
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const FAILPOINT = 'consumer.after-effect-before-commit';

describe('failpoint-crash', () => {
  it('kills the billing consumer right after its effect; the heal restarts it; the redelivery is absorbed', async () => {
    const tenant = 'fp-crash';
    const client = stack.client(tenant);
    await seedTenant(client);
    const quoteId = await acceptedQuote(client);
    const fault = failpointCrash('consumers', FAILPOINT, { consumer: 'billing' });
    await fault.setup?.(ctx);
    const consumers = stack.system.component('consumers');
    const started = await fault.invoke(ctx, 'start');
    expect(started).toMatchObject({ armed: FAILPOINT });
    const order = await client.convert(quoteId, 'k-1');
    expect(order.status).toBe(201);
    await eventually(async () => !consumers.killable?.isRunning(), 20_000);
    const healed = await fault.invoke(ctx, 'stop');
    expect(healed).toMatchObject({ fired: true, restarted: true });
    expect(consumers.killable?.isRunning()).toBe(true);
    const ledger = await eventually(async () => {
      const read = await stack.system.reads.ledger([tenant]);
      return read.entries.some((e) => e.type === 'OrderCreated') ? read : undefined;
    });
    const created = ledger?.entries.find((e) => e.type === 'OrderCreated');
    expect(created).toMatchObject({ outbox: 'published', copies: 1, consumers: { billing: { inbox: 1, effects: 1 } } });
    // The projection is another group of the restarted process: it catches up on its own fetch.
    expect(await eventually(async () => (await stack.system.reads.undelivered([tenant])) === 0, 20_000)).toBe(true);
  }, 120_000);

  it('heals without a restart when the failpoint never fired', async () => {
    const fault = failpointCrash('consumers', FAILPOINT, { consumer: 'billing' });
    await fault.invoke(ctx, 'start');
    expect(await fault.invoke(ctx, 'stop')).toMatchObject({ fired: false, restarted: false });
  });

  it('an unknown failpoint, or a component without one, fails set-up with a usage error', async () => {
    await expect(failpointCrash('consumers', 'consumer.nowhere').setup?.(ctx)).rejects.toThrow(UsageError);
    await expect(failpointCrash('no-such-component', FAILPOINT).setup?.(ctx)).rejects.toThrow(UsageError);
  });
});

describe('relay cut off from Kafka', () => {
  it('leaves the event undelivered and off its topic until the heal, then delivers it once', async () => {
    const tenant = 'relay-cut';
    const client = stack.client(tenant);
    await seedTenant(client);
    await eventually(async () => (await stack.system.reads.undelivered([tenant])) === 0);
    const quoteId = await acceptedQuote(client);
    const cut = proxyDisable('relay-kafka');
    await cut.invoke(ctx, 'start');
    let order;
    try {
      order = await client.convert(quoteId, 'k-2');
      expect(order.status).toBe(201);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await stack.system.reads.undelivered([tenant])).toBeGreaterThan(0);
    } finally {
      await cut.invoke(ctx, 'stop');
    }
    await eventually(async () => (await stack.system.reads.undelivered([tenant])) === 0, 40_000);
    const ledger = await stack.system.reads.ledger([tenant]);
    const created = ledger.entries.filter((e) => e.type === 'OrderCreated');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ outbox: 'published', consumers: { billing: { effects: 1 } } });
    expect(created[0]?.copies).toBeGreaterThanOrEqual(1);
  }, 120_000);
});

describe('lost-ack on the relay→Kafka path', () => {
  it('the broker takes the batch, the relay never hears so and sends it again: the same event twice on the topic, billed once', async () => {
    const tenant = 'lost-ack';
    const client = stack.client(tenant);
    await seedTenant(client);
    // A first order, so the relay's producer already knows the order topic (a metadata request
    // whose answer is lost would keep the batch from being sent at all).
    expect((await client.convert(await acceptedQuote(client), 'k-warm')).status).toBe(201);
    await eventually(async () => (await stack.system.reads.undelivered([tenant])) === 0);
    const quoteId = await acceptedQuote(client);
    // The relay idle before the fault: a batch of the quote's own events still in flight would take
    // the lost answer instead, and the order's events would go out once, after the heal.
    await eventually(async () => (await stack.system.reads.undelivered([tenant])) === 0);
    const fault = lostAck('relay-kafka');
    await fault.invoke(ctx, 'start');
    try {
      expect((await client.convert(quoteId, 'k-3')).status).toBe(201);
      await new Promise((r) => setTimeout(r, 5000));
    } finally {
      await fault.invoke(ctx, 'stop');
    }
    await eventually(async () => (await stack.system.reads.undelivered([tenant])) === 0, 40_000);
    const created = (await stack.system.reads.ledger([tenant])).entries.filter(
      (e) => e.type === 'OrderCreated' && e.copies > 1,
    );
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ outbox: 'published', consumers: { billing: { inbox: 1, effects: 1 } } });
  }, 120_000);
});

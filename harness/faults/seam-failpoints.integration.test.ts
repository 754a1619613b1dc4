// Integration: the failpoints at the seams between two writes really crash their component there,
// and the heal restarts it. The billing consumer dies after writing its effect, before its inbox row
// is durable — both roll back, and the redelivered event is applied once; the relay dies holding a
// claim it never sent — the row stays claimed, off its topic, until the claim times out and the
// restarted relay sends it once; an API instance dies between the statements of a convert — no
// order survives, and a retry with the same key converts once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../core/random.ts';
import { acceptedQuote, eventually, seedTenant, startStack, type Stack } from '../system/testing/stack.ts';
import { failpointCrash } from './failpoint-faults.ts';
import type { FaultContext } from './fault.ts';

let stack: Stack;
let ctx: FaultContext;

beforeAll(async () => {
  stack = await startStack({ failpoints: true, instances: 1 });
  ctx = {
    env: stack.env,
    system: stack.system,
    random: new Random('seams'),
    dir: fs.mkdtempSync(path.join(os.tmpdir(), 'sf-')),
  };
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const count = async (sql: string, params: unknown[]) => (await stack.db.query(sql, params)).rows[0].n as number;

describe('crashes between two writes', () => {
  it('consumer.after-effect-before-inbox: effect and inbox row roll back together; redelivered, applied once', async () => {
    const tenant = 'seam-inbox';
    const client = stack.client(tenant);
    await seedTenant(client);
    const quoteId = await acceptedQuote(client);
    const fault = failpointCrash('consumers', 'consumer.after-effect-before-inbox', { consumer: 'billing' });
    await fault.setup?.(ctx);
    const consumers = stack.system.component('consumers');
    await fault.invoke(ctx, 'start');
    const order = await client.convert(quoteId, 'k');
    expect(order.status).toBe(201);
    expect(await eventually(async () => !consumers.killable?.isRunning(), 20_000)).toBe(true);
    const billed = 'select count(*)::int as n from billing_trigger where order_id = $1';
    expect(await count(billed, [order.body.orderId])).toBe(0);
    expect(await fault.invoke(ctx, 'stop')).toMatchObject({ fired: true, restarted: true });
    expect(await eventually(async () => (await count(billed, [order.body.orderId])) === 1, 30_000)).toBe(true);
    expect(
      await count(
        'select count(*)::int as n from inbox_message where consumer_name = $1 and event_id in (select event_id from billing_trigger where order_id = $2)',
        ['billing', order.body.orderId],
      ),
    ).toBe(1);
  }, 120_000);

  it('relay.after-claim-before-publish: the claimed row waits, unsent, then the restarted relay sends it once', async () => {
    const tenant = 'seam-claim';
    const client = stack.client(tenant);
    await seedTenant(client);
    await eventually(async () => (await stack.system.reads.pendingOutbox([tenant])) === 0, 20_000);
    const fault = failpointCrash('relay', 'relay.after-claim-before-publish');
    const relay = stack.system.component('relay');
    await fault.invoke(ctx, 'start');
    const created = await client.createQuote('c', 'EUR', [{ offeringId: 'router', quantity: 1 }]);
    expect(await eventually(async () => !relay.killable?.isRunning(), 20_000)).toBe(true);
    const status = 'select status from outbox_event where aggregate_id = $1';
    expect((await stack.db.query(status, [created.body.quoteId])).rows).toEqual([{ status: 'claimed' }]);
    expect(await fault.invoke(ctx, 'stop')).toMatchObject({ fired: true, restarted: true });
    const ledger = await eventually(async () => {
      const read = await stack.system.reads.ledger([tenant]);
      const entry = read.entries.find((e) => e.type === 'QuoteCreated');
      // The relay marks the row after Kafka acknowledged the send: a copy on the topic comes first.
      return entry?.copies && entry.outbox === 'published' ? entry : undefined;
    }, 30_000);
    expect(ledger).toMatchObject({ outbox: 'published', copies: 1 });
  }, 120_000);

  it('api.convert-between-statements: nothing of the convert survives the crash; the retry converts once', async () => {
    const tenant = 'seam-convert';
    const client = stack.client(tenant);
    await seedTenant(client);
    const quoteId = await acceptedQuote(client);
    const fault = failpointCrash('api-1', 'api.convert-between-statements');
    await fault.invoke(ctx, 'start');
    const lost = await client.convert(quoteId, 'k').catch((error: Error) => error.message);
    expect(typeof lost === 'string' || (lost as { status: number }).status >= 500).toBe(true);
    const orders = 'select count(*)::int as n from customer_order where source_quote_id = $1';
    expect(await count(orders, [quoteId])).toBe(0);
    expect(await fault.invoke(ctx, 'stop')).toMatchObject({ fired: true, restarted: true });
    expect((await client.convert(quoteId, 'k')).status).toBe(201);
    expect(await count(orders, [quoteId])).toBe(1);
  }, 120_000);
});

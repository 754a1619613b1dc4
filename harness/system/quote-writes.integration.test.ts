// Integration: a quote write and its events are one statement in the reference system — a write
// that loses its revision race appends no event. Eight prices of one quote race through a slow
// database (all read revision 1, one write matches): every 409 wrote nothing, every 200 exactly one
// `QuotePriced` event and one revision.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { proxyToxic } from '../faults/network-faults.ts';
import { during } from './testing/probe-helpers.ts';
import { seedTenant, startStack, type Stack } from './testing/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

it('a price that loses the revision race appends no event; each one that wins appends one', async () => {
  const client = stack.client('revision-race');
  await seedTenant(client);
  const created = await client.createQuote('c', 'EUR', [{ offeringId: 'router', quantity: 1 }]);
  expect(created.status).toBe(201);
  const quoteId = created.body.quoteId;
  const slow = proxyToxic('api-postgres', 'latency', { latency: 100 }, { name: 'slow-postgres' });
  const statuses = await during(stack, slow, () =>
    Promise.all(Array.from({ length: 8 }, async () => (await client.transition(quoteId, 'price')).status)),
  );
  const won = statuses.filter((s) => s === 200).length;
  expect(statuses.filter((s) => s === 409).length).toBeGreaterThanOrEqual(1); // the race happened
  expect(won + statuses.filter((s) => s === 409).length).toBe(8);
  const { rows } = await stack.db.query<{ n: number }>(
    `select count(*)::int as n from outbox_event where aggregate_id = $1 and event_type = 'QuotePriced'`,
    [quoteId],
  );
  expect(rows[0]?.n).toBe(won);
  expect((await client.getQuote(quoteId)).body.revision).toBe(1 + won);
});

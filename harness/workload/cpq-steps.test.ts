// Unit: the scenarios' workers draw step values and run them through the exploration's interpreter —
// against a tiny local CPQ that answers every contract call, the ops land under the worker's process,
// in the lifecycle's order, with the idempotency key `<quoteId>-order`; a publisher's policy round
// and a browse read go the same way; and the start of a between-writes fault is met by
// CROSSING_ORDERS orders through every API instance, accepted just before it and all converted at
// once just after (explore's crossing), a clock fault's start by reads of every
// tenant through every instance before it and publishes after it, read back later (explore's
// spanning), any other fault action by nothing. A publish storm ends at the first publish the
// system does not answer, and goes on past a business refusal. A burst creates quotes and converts
// the tenant's own quotes (each under a key of its own) every other request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryWriter } from '../core/history.ts';
import { Random } from '../core/random.ts';
import { CpqClient } from '../system/cpq-client.ts';
import type { WorkloadContext } from './context.ts';
import { browse, publisher, quoteFlow } from './cpq-steps.ts';
import { Operations } from './operations.ts';
import { CROSSING_ORDERS } from './crossing-orders.ts';
import { runStep } from './step-interpreter.ts';
import { ExploreModel } from './step-model.ts';
import type { Fault } from '../faults/fault.ts';

let server: http.Server;
let base: string;
const requests: string[] = [];
/** What a catalog publish answers (a storm's test sets it). */
let catalogPublishStatus = 201;
/** What an offering read answers (the spanning test sets it). */
let offeringReadStatus = 200;

/** Just enough of the contract: every call succeeds; a quote's state follows the action. */
function answer(method: string, url: string): [number, unknown] {
  const quote = (state: string) => ({ quoteId: 'q-1', state, revision: 1, catalogVersion: 1, priceListVersion: 1 });
  if (url.endsWith('/approval-policy/publish')) return [201, { policyVersion: 4 }];
  if (url.endsWith('/catalog/publish'))
    return catalogPublishStatus === 201
      ? [201, { catalogVersion: 2 }]
      : [catalogPublishStatus, { code: 'REFUSED', status: catalogPublishStatus }];
  if (url.endsWith('/price-lists/publish')) return [201, { priceListVersion: 2 }];
  if (method === 'POST' && url.endsWith('/quotes')) return [201, quote('DRAFT')];
  const action = url.match(/\/quotes\/q-1\/(\w+)$/)?.[1];
  const states: Record<string, string> = { price: 'PRICED', submit: 'SUBMITTED', accept: 'ACCEPTED' };
  if (action === 'convert') return [201, { orderId: 'o-1', sourceQuoteId: 'q-1' }];
  if (action && states[action]) return [200, quote(states[action])];
  if (url.includes('/prices/')) return [200, { offeringId: 'router', unitPriceCents: 100, priceListVersion: 1 }];
  if (url.includes('/offerings/'))
    return offeringReadStatus === 200
      ? [200, { offeringId: 'router', name: 'Router', catalogVersion: 1 }]
      : [offeringReadStatus, { code: 'UNAVAILABLE', status: offeringReadStatus }];
  return [404, { code: 'NOT_FOUND', status: 404 }];
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers['idempotency-key'] ?? ''}`.trim());
    const [status, body] = answer(req.method ?? '', req.url?.split('?')[0] ?? '');
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function setup() {
  const history = new HistoryWriter(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steps-')), 'history.jsonl'));
  const ctx = {
    tenants: ['ta'],
    apiUrls: [base, base],
    signal: new AbortController().signal,
    state: new Map(),
    ops: (process: number | string) => new Operations(history, process, (t) => new CpqClient(base, t, 2000)),
  } as unknown as WorkloadContext;
  const worker = { process: 3, random: new Random(7), signal: new AbortController().signal };
  const done = (process: number) =>
    history.history.filter((op) => op.process === process && op.type !== 'invoke').map((op) => `${op.f}:${op.type}`);
  return { ctx, worker, history, done };
}

describe('workers run step values', () => {
  it('a quote flow: create, price, wait, submit, accept and convert, as the worker, keyed by quote', async () => {
    const { ctx, worker, done } = setup();
    requests.length = 0;
    await quoteFlow(ctx, { convertShare: 1, priceToSubmitMs: [1, 2] })(worker);
    expect(done(3)).toEqual(['create-quote:ok', 'price:ok', 'submit:ok', 'accept:ok', 'convert:ok']);
    expect(requests.filter((r) => r.includes('/convert'))).toEqual([
      expect.stringMatching(/^POST \/v1\/tenants\/ta\/quotes\/q-1\/convert q-1-order$/),
    ]);
  });

  it('a publisher publishes the next policy round; a browse read reads as the worker', async () => {
    const { ctx, worker, history, done } = setup();
    await publisher(ctx, ['policy'], [15, 25])(worker);
    await publisher(ctx, ['policy'], [15, 25])(worker);
    await browse(ctx)(worker);
    expect(done(3)).toEqual(['publish:ok', 'publish:ok', expect.stringMatching(/^read-(price|offering):ok$/)]);
    const limits = history.history
      .filter((op) => op.f === 'publish' && op.type === 'invoke')
      .map((op) => (op.value.content as { maxDiscountPct: number }).maxDiscountPct);
    expect(limits).toEqual([15, 25]);
  });
});

describe('a fault step', () => {
  it('meets the start of a between-writes fault with orders through every instance, accepted before it and converted after, and nothing else', async () => {
    const { ctx, history } = setup();
    const injected: string[] = [];
    const fault = (name: string) => [name, { name } as Fault] as const;
    Object.assign(ctx, {
      inject: async (f: Fault, action: string) => {
        const completed = history.history.filter((op) => op.type !== 'invoke').map((op) => op.f);
        injected.push(`${f.name}:${action} after ${completed.filter((f) => f === 'accept').length} accepts`);
        injected.push(`${completed.filter((f) => f === 'convert').length} converts`);
      },
    });
    const target = {
      ctx,
      faults: new Map([fault('relay-crash-after-send'), fault('redis-kill')]),
      crossing: new Set(['relay-crash-after-send']),
    };
    const crossed = await runStep(target, undefined, {
      kind: 'fault',
      fault: 'relay-crash-after-send',
      action: 'start',
    });
    const lifecycle = ['create-quote:ok', 'price:ok', 'submit:ok', 'accept:ok', 'convert:ok'];
    for (const i of [0, 1])
      for (let j = 0; j < CROSSING_ORDERS; j++)
        expect(
          history.history
            .filter((op) => op.process === `explore-crossing-${i}-${j}` && op.type !== 'invoke')
            .map((op) => `${op.f}:${op.type}`),
        ).toEqual(lifecycle);
    expect(crossed).toHaveLength(2 * CROSSING_ORDERS * lifecycle.length);
    // All at once: every order was accepted before any other went on to its convert.
    const sent = history.history.filter(
      (op) => op.type === 'invoke' && String(op.process).startsWith('explore-crossing-'),
    );
    expect(sent.findIndex((op) => op.f === 'convert')).toBe(sent.length - 2 * CROSSING_ORDERS);
    expect(
      await runStep(target, undefined, { kind: 'fault', fault: 'relay-crash-after-send', action: 'stop' }),
    ).toEqual([]);
    expect(await runStep(target, undefined, { kind: 'fault', fault: 'redis-kill', action: 'start' })).toEqual([]);
    // The quotes were accepted before the fault started, and converted only after.
    const orders = 2 * CROSSING_ORDERS;
    expect(injected).toEqual([
      `relay-crash-after-send:start after ${orders} accepts`,
      '0 converts',
      `relay-crash-after-send:stop after ${orders} accepts`,
      `${orders} converts`,
      `redis-kill:start after ${orders} accepts`,
      `${orders} converts`,
    ]);
  });

  it('spans the start of a clock fault: reads through every instance before it, publishes after it, read back later', async () => {
    const { ctx, history } = setup();
    const order: string[] = [];
    const fault = { name: 'clock-skew' } as Fault;
    Object.assign(ctx, {
      inject: async (f: Fault, action: string) =>
        void order.push(`${f.name}:${action} after ${requests.length} requests`),
    });
    const pending: Promise<unknown>[] = [];
    const target = {
      ctx,
      faults: new Map([['clock-skew', fault]]),
      spanning: new Set(['clock-skew']),
      readBack: { afterMs: 50, pending },
    };
    requests.length = 0;
    const spanned = await runStep(target, undefined, { kind: 'fault', fault: 'clock-skew', action: 'start' });
    const completions = (process: string) =>
      history.history.filter((op) => op.process === process && op.type !== 'invoke').map((op) => op.f);
    for (const i of [0, 1]) expect(completions(`explore-cached-${i}`)).toEqual(['read-offering', 'read-price']);
    expect(completions('explore-spanned')).toEqual(['publish', 'publish']);
    // The four reads come before the jump, the two publishes after it.
    expect(order).toEqual(['clock-skew:start after 4 requests']);
    expect(spanned.map((op) => op.f)).toEqual([
      'read-offering',
      'read-price',
      'read-offering',
      'read-price',
      'publish',
      'publish',
    ]);
    expect(requests.slice(0, 4).every((r) => r.startsWith('GET'))).toBe(true);
    expect(requests.slice(4, 6).map((r) => r.split(' ')[0])).toEqual(['POST', 'POST']);
    expect(pending).toHaveLength(2);
    // The heal waits for the read-backs of what the jump spanned (4 reads, 2 publishes, 2 × 2 read-backs).
    expect(await runStep(target, undefined, { kind: 'fault', fault: 'clock-skew', action: 'stop' })).toEqual([]);
    expect(order).toEqual(['clock-skew:start after 4 requests', 'clock-skew:stop after 10 requests']);
    expect(
      history.history.filter((op) => String(op.process).startsWith('read-back-') && op.type === 'ok'),
    ).toHaveLength(4);
  });

  it('ends a publish storm at the first publish the system does not answer, and not at a business refusal', async () => {
    const storm = { kind: 'publish', tenant: 0, domain: 'catalog', times: 4 } as const;
    const published = async (status: number) => {
      const { ctx } = setup();
      catalogPublishStatus = status;
      requests.length = 0;
      try {
        await runStep({ ctx, faults: new Map() }, undefined, storm);
      } finally {
        catalogPublishStatus = 201;
      }
      return requests.filter((r) => r.endsWith('/catalog/publish')).length;
    };
    expect(await published(201)).toBe(4);
    expect(await published(409)).toBe(4);
    expect(await published(503)).toBe(1);
  });

  it("ends a clock fault's spanning reads and publishes at the first the system does not answer", async () => {
    const { ctx, history } = setup();
    Object.assign(ctx, { tenants: ['ta', 'tb'], inject: async () => undefined });
    const target = {
      ctx,
      faults: new Map([['clock-skew', { name: 'clock-skew' } as Fault]]),
      spanning: new Set(['clock-skew']),
    };
    catalogPublishStatus = 503;
    offeringReadStatus = 503;
    try {
      await runStep(target, undefined, { kind: 'fault', fault: 'clock-skew', action: 'start' });
    } finally {
      catalogPublishStatus = 201;
      offeringReadStatus = 200;
    }
    const completed = (process: string) =>
      history.history.filter((op) => op.process === process && op.type !== 'invoke').map((op) => `${op.f}:${op.type}`);
    // Each instance's reads stop at its first unanswered one (of four: two tenants, offering and price).
    for (const i of [0, 1]) expect(completed(`explore-cached-${i}`)).toEqual(['read-offering:fail']);
    expect(completed('explore-spanned')).toEqual(['publish:info']);
  });

  it("a burst creates quotes and, every other request, converts one of its tenant's quotes under a key of its own", async () => {
    const { ctx, history } = setup();
    Object.assign(ctx, { tenants: ['ta', 'tb'] });
    const model = new ExploreModel(new Set(), ['ta', 'tb']);
    model.observe({ kind: 'wait', ms: 1 }, []);
    model.quotes.push({ tenant: 0, quoteId: 'q-1', keys: new Map() }, { tenant: 1, quoteId: 'q-9', keys: new Map() });
    requests.length = 0;
    const burst = { kind: 'burst', tenant: 0, requests: 4 } as const;
    const done = await runStep({ ctx, faults: new Map() }, model, burst);
    expect(done.map((op) => `${op.f}:${op.type}`).sort()).toEqual([
      'convert:ok',
      'convert:ok',
      'create-quote:ok',
      'create-quote:ok',
    ]);
    // Tenant tb's quote is not touched; each convert has a key no other request shares.
    expect(requests.filter((r) => r.includes('/convert')).sort()).toEqual([
      'POST /v1/tenants/ta/quotes/q-1/convert q-1-s1-1',
      'POST /v1/tenants/ta/quotes/q-1/convert q-1-s1-3',
    ]);
    expect(new Set(history.history.filter((op) => op.type === 'invoke').map((op) => op.process)).size).toBe(4);
    // Tenant positions wrap (3 is tb): tb's own quote only. Without a model (a scenario's worker), only creates.
    requests.length = 0;
    await runStep({ ctx, faults: new Map() }, model, { ...burst, tenant: 3 });
    expect(requests.filter((r) => r.includes('/convert'))).toEqual([
      'POST /v1/tenants/tb/quotes/q-9/convert q-9-s1-1',
      'POST /v1/tenants/tb/quotes/q-9/convert q-9-s1-3',
    ]);
    requests.length = 0;
    await runStep({ ctx, faults: new Map() }, undefined, burst);
    expect(requests.map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual(
      Array(4).fill('POST /v1/tenants/ta/quotes'),
    );
  });
});

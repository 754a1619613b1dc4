// Unit: how operations are recorded — against a small local HTTP server that answers 2xx, 4xx, 5xx,
// or never: ok with the response's fields, fail with the problem code, and for commands that got a
// 5xx or no answer `info`; a read without an answer is a `fail` (it had no effect).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryWriter } from '../core/history.ts';
import { CpqClient } from '../system/cpq-client.ts';
import { Operations } from './operations.ts';

let server: http.Server;
let base: string;
const answers: Record<string, [number, unknown] | 'hang'> = {
  'POST /v1/tenants/t/price-lists/publish': [201, { priceListVersion: 7 }],
  'POST /v1/tenants/t/quotes/q1/submit': [409, { code: 'QUOTE_PRICING_STALE', status: 409 }],
  'POST /v1/tenants/t/quotes/q2/submit': [503, { code: 'UNAVAILABLE', status: 503 }],
  'POST /v1/tenants/t/quotes/q3/submit': 'hang',
  'GET /v1/tenants/t/prices/router': 'hang',
  'GET /v1/tenants/t/catalog/offerings/router': [
    200,
    { offeringId: 'router', name: 'Router', catalogVersion: 3, extra: 'x' },
  ],
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const answer = answers[`${req.method} ${req.url?.split('?')[0]}`];
    if (answer === 'hang' || answer === undefined) return; // never answers
    res.writeHead(answer[0], { 'content-type': 'application/json' }).end(JSON.stringify(answer[1]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function operations() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ops-')), 'history.jsonl');
  const history = new HistoryWriter(file);
  return { history, ops: new Operations(history, 1, (tenant) => new CpqClient(base, tenant, 300)) };
}

describe('Operations', () => {
  it('records ok with what the response said', async () => {
    const { history, ops } = operations();
    const done = await ops.publishPrices('t', { router: 100 });
    expect(done).toMatchObject({ type: 'ok', f: 'publish', value: { tenant: 't', domain: 'pricing', version: 7 } });
    expect(history.history.map((op) => op.type)).toEqual(['invoke', 'ok']);
    const read = await ops.readOffering('t', 'router');
    expect(read.value).toEqual({ tenant: 't', offeringId: 'router', name: 'Router', catalogVersion: 3 });
  });

  it('stamps every op of a client told to give up early with its timeout', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ops-')), 'history.jsonl');
    const history = new HistoryWriter(file);
    const ops = new Operations(history, 1, (tenant) => new CpqClient(base, tenant, 300), 300);
    expect(await ops.transition('t', 'q3', 'submit')).toMatchObject({ type: 'info', error: 'timeout' });
    expect(history.history.map((op) => op.value.clientTimeoutMs)).toEqual([300, 300]);
    const plain = operations();
    await plain.ops.publishPrices('t', { router: 100 });
    expect(plain.history.history.every((op) => op.value.clientTimeoutMs === undefined)).toBe(true);
  });

  it('records a 4xx as fail with the problem code', async () => {
    const { ops } = operations();
    expect(await ops.transition('t', 'q1', 'submit')).toMatchObject({ type: 'fail', error: 'QUOTE_PRICING_STALE' });
  });

  it('records a command that got a 5xx or no answer as info: it may have happened', async () => {
    const { ops } = operations();
    expect(await ops.transition('t', 'q2', 'submit')).toMatchObject({ type: 'info', error: 'UNAVAILABLE (HTTP 503)' });
    expect(await ops.transition('t', 'q3', 'submit')).toMatchObject({ type: 'info', error: 'timeout' });
  });

  it('records a read without an answer as fail: it had no effect', async () => {
    const { ops } = operations();
    expect(await ops.readPrice('t', 'router')).toMatchObject({ type: 'fail', f: 'read-price', error: 'timeout' });
  });

  it('writes every op to history.jsonl as it goes', async () => {
    const { history, ops } = operations();
    await ops.transition('t', 'q1', 'submit');
    const lines = fs.readFileSync(history.file, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['invoke', 'fail']);
  });
});

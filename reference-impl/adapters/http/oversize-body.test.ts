// Unit (a real socket on 127.0.0.1): a body declared over the limit is read to its end while the
// client is still sending — every chunk is written without a reset — and only then answered 413;
// one declared beyond the drain limit is refused at once with the connection closed; a body within
// the limit reaches its route.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOversizeBodies } from './oversize-body.ts';

const LIMIT = 1000;
const app = Fastify({ bodyLimit: LIMIT, forceCloseConnections: true });
drainOversizeBodies(app, LIMIT, 10 * LIMIT);
app.post('/x', async (request) => ({ got: (request.body as { a: string }).a.length }));
let port = 0;

beforeAll(async () => {
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(() => app.close());

/** Sends `bytes` of JSON in chunks of 1000, 20 ms apart; what came back and whether writing failed. */
function send(bytes: number): Promise<{ status?: number; writeError?: string; sentAll: boolean; header?: string }> {
  const body = Buffer.from(JSON.stringify({ a: 'x'.repeat(bytes - 9) }));
  return new Promise((resolve) => {
    const result: { status?: number; writeError?: string; sentAll: boolean; header?: string } = { sentAll: false };
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: '/x',
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
      },
    });
    req.on('response', (res) => {
      result.status = res.statusCode;
      result.header = String(res.headers.connection ?? '');
      res.resume();
      res.on('end', () => resolve(result));
    });
    req.on('error', (error) => {
      result.writeError = error.message;
      resolve(result);
    });
    let offset = 0;
    const next = () => {
      req.write(body.subarray(offset, offset + 1000));
      offset += 1000;
      if (offset < body.length) setTimeout(next, 20);
      else {
        result.sentAll = true;
        req.end();
      }
    };
    next();
  });
}

describe('drainOversizeBodies', () => {
  it('reads an oversize body to its end, then answers 413 on an open connection', async () => {
    const result = await send(5000);
    expect(result).toMatchObject({ status: 413, sentAll: true });
    expect(result.writeError).toBeUndefined();
    expect(result.header).not.toBe('close');
  });

  it('refuses a body beyond the drain limit at once, closing the connection', async () => {
    const result = await send(50_000);
    // The 413 — or, when the close outruns it, the reset a client sending on can read instead.
    if (result.status === undefined) expect(result.writeError).toMatch(/ECONNRESET|EPIPE|socket hang up/);
    else expect(result.status).toBe(413);
    expect(result.sentAll).toBe(false); // answered (or cut) long before 50 chunks were sent
  });

  it('lets a body within the limit through to its route', async () => {
    expect(await send(500)).toMatchObject({ status: 200, sentAll: true });
  });
});

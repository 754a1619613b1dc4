// Unit: a cache fault that cannot reach Redis fails without leaving its client behind — a client
// whose connect failed would reconnect every 2 s for good and keep a finished command alive.
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheFlush } from './cache-faults.ts';
import type { FaultContext } from './fault.ts';

// A "Redis" that drops every connection at once, counting the attempts.
let attempts = 0;
const server = net.createServer((socket) => {
  attempts++;
  socket.destroy();
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('cache faults with Redis unreachable', () => {
  it('fail, and leave no client reconnecting', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const ctx = { env: { redis: { directUrl: `redis://127.0.0.1:${port}` } } } as unknown as FaultContext;
    await expect(cacheFlush.invoke(ctx, 'start')).rejects.toThrow();
    const failed = attempts;
    // ioredis retries after 50, 100, 150 ms…: a client left behind would have come back by now.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(failed).toBeGreaterThan(0);
    expect(attempts).toBe(failed);
  });
});

/**
 * The readiness probe's RESP exchange against hand-made servers: one that answers, one that accepts
 * and closes at once (what Docker's port publishing does while the container's Redis is not up yet),
 * and one that never answers.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { respCommand } from './resp.ts';

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

/** A server on a free 127.0.0.1 port that handles each connection with `onConnection`. */
async function serve(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.push(socket);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('respCommand', () => {
  it('resolves with the first reply line', async () => {
    const port = await serve((socket) => socket.once('data', () => socket.end('+PONG\r\n')));
    await expect(respCommand(port, 'PING')).resolves.toBe('+PONG');
  });

  it('rejects when the peer closes without a reply', async () => {
    const port = await serve((socket) => socket.end());
    await expect(respCommand(port, 'PING')).rejects.toThrow(/closed without a reply/);
  });

  it('rejects when the peer never answers', async () => {
    const port = await serve(() => undefined);
    await expect(respCommand(port, 'PING', 200)).rejects.toThrow(/timeout/);
  });
});

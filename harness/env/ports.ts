/**
 * Free TCP ports on 127.0.0.1, chosen by the kernel. All ports of one environment are held open
 * together while they are chosen, so one environment never gets the same port twice.
 */
import net from 'node:net';

/** Allocates `count` distinct free ports on 127.0.0.1. */
export async function allocatePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      servers.push(server);
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** True if nothing listens on 127.0.0.1:`port` (we can bind it ourselves). */
export async function isPortFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Opens a TCP connection to 127.0.0.1:`port` and closes it; rejects if nothing accepts. */
export function tcpProbe(port: number, timeoutMs = 1000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`connect timeout on ${port}`)));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
  });
}

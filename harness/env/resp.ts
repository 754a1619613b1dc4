/**
 * A minimal RESP exchange over a raw socket, for readiness probes: one inline command, one reply
 * line — so the environment needs no Redis client to know Redis is up. Everything that talks to
 * Redis for real (the system under test, the cache faults, the authoritative reads, the tests) uses
 * ioredis.
 */
import net from 'node:net';

/** Sends one inline command to 127.0.0.1:`port` and resolves with the first reply line. */
export function respCommand(port: number, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buffer = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`redis ${command}: timeout`)));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\r\n');
      if (end >= 0) {
        socket.end();
        resolve(buffer.slice(0, end));
      }
    });
    socket.once('error', reject);
    // A proxy in front of Redis (Docker's port publishing) may accept and close at once while Redis
    // itself is not listening yet: no error, no data. Without this the probe never settled.
    socket.once('close', () => reject(new Error(`redis ${command}: closed without a reply`)));
  });
}

/**
 * Free TCP ports on 127.0.0.1 for the environment's listeners.
 *
 * Ports come from below the kernel's ephemeral range: a port the kernel hands out for `listen(0)`
 * is an ephemeral one, and between our check and the service's bind an outgoing connection (a
 * readiness probe, a client) may take it as its source port. Ports below the range are never used
 * that way. Each is checked free by binding it, and a port is handed out once per process.
 */
import fs from 'node:fs';
import net from 'node:net';

/** Lowest port we use; below it live well-known and commonly configured services. */
const LOWEST = 20_000;
const handedOut = new Set<number>();

/** The first port of the kernel's ephemeral range (default 32768). */
export function ephemeralRangeStart(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const value = Number(low);
    return Number.isInteger(value) && value > LOWEST + 1000 ? value : 32_768;
  } catch {
    return 32_768;
  }
}

/** Allocates `count` distinct ports that are free now, below the ephemeral range. */
export async function allocatePorts(count: number): Promise<number[]> {
  const high = ephemeralRangeStart() - 1;
  const ports: number[] = [];
  for (let attempts = 0; ports.length < count; attempts++) {
    if (attempts > count * 50) throw new Error(`could not find ${count} free ports in ${LOWEST}-${high}`);
    const port = LOWEST + Math.floor(Math.random() * (high - LOWEST + 1));
    if (handedOut.has(port) || !(await isPortFree(port))) continue;
    handedOut.add(port);
    ports.push(port);
  }
  return ports;
}

/** True if nothing listens on 127.0.0.1:`port` (we can bind it ourselves). */
export async function isPortFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

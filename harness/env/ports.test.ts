// Unit: allocated ports are distinct, free, and on 127.0.0.1.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { allocatePorts, isPortFree } from './ports.ts';

describe('allocatePorts', () => {
  it('returns distinct ports that are free again once allocated', async () => {
    const ports = await allocatePorts(20);
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) expect(await isPortFree(port)).toBe(true);
  });

  it('isPortFree sees a port someone listens on', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as net.AddressInfo;
    expect(await isPortFree(port)).toBe(false);
    server.close();
  });
});

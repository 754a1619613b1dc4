// Unit: allocated ports are distinct, free, and on 127.0.0.1.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { allocatePorts, ephemeralRangeStart, isPortFree } from './ports.ts';

describe('allocatePorts', () => {
  it('returns distinct free ports below the ephemeral range, never the same one twice', async () => {
    const ports = [...(await allocatePorts(20)), ...(await allocatePorts(20))];
    expect(new Set(ports).size).toBe(40);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(ephemeralRangeStart());
      expect(await isPortFree(port)).toBe(true);
    }
  });

  it('skips a port someone already listens on', async () => {
    const taken = await allocatePorts(1);
    const server = net.createServer().listen(taken[0], '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const ports = await allocatePorts(200);
    expect(ports).not.toContain(taken[0]);
    server.close();
  });

  it('isPortFree sees a port someone listens on', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as net.AddressInfo;
    expect(await isPortFree(port)).toBe(false);
    server.close();
  });
});

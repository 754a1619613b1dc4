// Unit: moving a component's clock resolves once the process answers with the new time (its Date
// header), fails when it answers with another one, and does not wait on a process that is down.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeClockOffset } from './component-abilities.ts';

const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A process whose clock is real time plus what `clock()` says (ms), seen in its Date header. */
async function processWithClock(clock: () => number): Promise<string> {
  const server = http.createServer((_, res) => {
    res.setHeader('date', new Date(Date.now() + clock()).toUTCString());
    res.end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const clockFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clock-')), 'offset');

describe('writeClockOffset', () => {
  it('resolves once the process answers with the new clock, having written the offset', async () => {
    const file = clockFile();
    let picked = 0;
    setTimeout(() => (picked = -120_000), 300);
    const started = performance.now();
    expect(await writeClockOffset(file, -120_000, await processWithClock(() => picked))).toBe(-120_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(fs.readFileSync(file, 'utf8')).toBe('-120\n');
  });

  it('fails when the process keeps its old clock', async () => {
    await expect(writeClockOffset(clockFile(), 600_000, await processWithClock(() => 0))).rejects.toThrow(
      /did not take the clock offset 600 s within 5000 ms \(its clock: 0 s from real time\)/,
    );
  }, 10_000);

  it('does not wait on a process that does not answer: it reads the file when it runs again', async () => {
    const url = await processWithClock(() => 0);
    servers.splice(0).forEach((s) => s.close());
    const file = clockFile();
    const started = performance.now();
    expect(await writeClockOffset(file, 0, url)).toBe(0);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(fs.readFileSync(file, 'utf8')).toBe('+0\n');
  });
});

// Unit: a manifest's components on this machine, no services — one the harness does not start has
// its abilities run as shell commands (recorded with exit status and output, refused on a non-zero
// exit, cut at the timeout) and waits for its ready URL after each; one started from a command is
// ready when its output prints the ready line, and after a kill it waits for this start's line,
// not the last one's. A running component's clock moves by its command, checked by its Date header.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandComponent } from './command-component.ts';
import { ExternalComponent, type AbilityCommands } from './external-component.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'components-'));
let server: http.Server;
let url: string;
let healthy = true;
beforeAll(async () => {
  // Its clock is as far from real time as the seconds in `offset` (what its clock command writes).
  server = http.createServer((_, res) => {
    const file = path.join(dir, 'offset');
    const shift = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) * 1000 : 0;
    res.writeHead(healthy ? 200 : 503, { date: new Date(Date.now() + shift).toUTCString() }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

function external(commands: AbilityCommands, commandTimeoutMs = 5000) {
  return new ExternalComponent('api-1', 'api', url, [], {
    commands,
    cwd: dir,
    commandTimeoutMs,
    readyUrl: `${url}/healthz`,
    readyTimeoutMs: 2000,
    metricsUrl: `${url}/metrics`,
    failpointAdmin: `${url}/fp/{name}`,
  });
}

describe('a component the harness does not start', () => {
  it('has the abilities its commands give, runs them and records each', async () => {
    const c = external({
      kill: 'echo killed $PWD',
      start: 'echo started',
      pause: 'echo paused',
      resume: 'echo resumed',
    });
    expect(c.abilities).toEqual(['kill', 'pause']);
    expect(c.restartable).toBeUndefined();
    await c.kill();
    expect(c.isRunning()).toBe(false);
    expect(c.lastCommand).toMatchObject({
      command: 'echo killed $PWD',
      exitCode: 0,
      output: `killed ${fs.realpathSync(dir)}`,
    });
    await c.start();
    expect(c.isRunning()).toBe(true);
    expect(c.lastCommand?.output).toBe('started');
    await c.pause();
    expect(c.isPaused()).toBe(true);
    await c.stop(); // leaves it as found: resumed
    expect(c.isPaused()).toBe(false);
    expect(c.lastCommand?.output).toBe('resumed');
  });

  it('fails a fault whose command fails or hangs, with what it printed', async () => {
    const failing = external({ kill: 'echo no such container >&2; exit 3', restart: 'true' });
    await expect(failing.kill()).rejects.toThrow(
      '`echo no such container >&2; exit 3` exited with 3: no such container',
    );
    expect(failing.isRunning()).toBe(true);
    const hanging = external({ restart: 'sleep 5' }, 300);
    const started = performance.now();
    await expect(hanging.restart()).rejects.toThrow('`sleep 5` did not finish within 300 ms');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('moves its clock by its command and waits until its Date header shows it', async () => {
    const c = external({ clock: 'echo {seconds} > offset' });
    expect(c.abilities).toEqual(['clock']);
    await c.clockable?.setClockOffset(-600_000);
    expect(c.clockOffsetMs).toBe(-600_000);
    expect(c.lastCommand?.command).toBe('echo -600 > offset');
    await c.setClockOffset(0);
    expect(fs.readFileSync(path.join(dir, 'offset'), 'utf8').trim()).toBe('0');
    // A command that does not move it: the wait fails, naming the clock it kept.
    const stuck = external({ clock: 'true' });
    await expect(stuck.setClockOffset(120_000)).rejects.toThrow(/did not take the clock offset 120 s/);
  }, 15_000);

  it('is seen down when it stops answering on its own, and the heal starts it again', async () => {
    const c = external({ kill: 'true', start: 'echo started' });
    c.watch();
    try {
      healthy = false; // it crashed: a failpoint, an OOM kill
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(c.isRunning()).toBe(false);
      healthy = true;
      await c.start();
      expect(c.lastCommand?.output).toBe('started');
      expect(c.isRunning()).toBe(true);
    } finally {
      healthy = true;
      await c.stop();
    }
  });
});

describe('a component started from its command', () => {
  it('is ready when its output prints the line, after each start', async () => {
    const script = "setTimeout(() => console.log('service up'), 300); setInterval(() => {}, 1000);";
    const spec = {
      name: 'svc',
      command: process.execPath,
      args: ['-e', script],
      cwd: dir,
      logFile: path.join(dir, 'svc.log'),
      pidFile: path.join(dir, 'svc.json'),
      stopSignal: 'SIGTERM' as const,
    };
    const endpoints = { ready: { log: 'service up' }, readyTimeoutMs: 5000, metricsUrl: '', failpointAdmin: '' };
    const c = await CommandComponent.start(spec, {
      kind: 'relay',
      url: 'http://127.0.0.1:1',
      failpoints: [],
      endpoints,
    });
    try {
      expect(fs.readFileSync(spec.logFile, 'utf8')).toContain('service up');
      await c.kill();
      const restarted = performance.now();
      await c.start();
      // The first start's line is already in the log: the second waits for its own (300 ms).
      expect(performance.now() - restarted).toBeGreaterThan(250);
      expect(fs.readFileSync(spec.logFile, 'utf8').split('service up').length - 1).toBe(2);
    } finally {
      await c.stop();
    }
  });
});

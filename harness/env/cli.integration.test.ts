// Integration: the `cpqchaos env` commands as a user runs them — endpoints usable by plain psql,
// redis-cli, kcat and curl; `env down` leaves no process, no bound port and no data; bad input
// exits 64/255 with one clear line and starts nothing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentEndpoints } from './endpoints.ts';
import { isPortFree } from './ports.ts';
import { groupMembers } from './process.ts';
import { runCli } from './testing/clients.ts';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const sh = (command: string, args: string[], input?: string) =>
  execFileSync(command, args, { encoding: 'utf8', timeout: 30_000, ...(input ? { input } : {}) }).trim();

describe('env up → tools → env down', () => {
  const cwd = tmp('cpqchaos-cli-');
  let endpoints: EnvironmentEndpoints;
  let pids: number[];

  beforeAll(async () => {
    const up = await runCli(['env', 'up', '--json'], cwd);
    expect(up.code, up.stderr).toBe(0);
    endpoints = JSON.parse(up.stdout) as EnvironmentEndpoints;
    const status = await runCli(['env', 'status', '--json'], cwd);
    pids = Object.values((JSON.parse(status.stdout) as { services: Record<string, { pid: number }> }).services).map(
      (s) => s.pid,
    );
  });

  afterAll(async () => {
    await runCli(['env', 'down'], cwd);
  });

  it('prints the contract endpoints and writes the same to .cpqchaos/env.json', () => {
    expect(JSON.parse(fs.readFileSync(path.join(cwd, '.cpqchaos', 'env.json'), 'utf8'))).toEqual(endpoints);
    expect(endpoints.backend).toBe('native');
    expect(endpoints.services.postgres.url).toMatch(/^postgres:\/\/\w+@127\.0\.0\.1:\d+\/\w+$/);
    expect(endpoints.services.postgres.directUrl).not.toBe(endpoints.services.postgres.url);
    expect(endpoints.services.redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(endpoints.services.kafka.brokers[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(endpoints.services.toxiproxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(endpoints.proxies).toEqual(
      expect.arrayContaining(['api-redis', 'api-postgres', 'relay-postgres', 'relay-kafka', 'consumers-kafka']),
    );
    expect(JSON.stringify(endpoints)).not.toContain('localhost');
  });

  it('plain psql, redis-cli, kcat and curl can use the endpoints', () => {
    const { postgres, redis, kafka, toxiproxy } = endpoints.services;
    expect(sh('psql', [postgres.url, '-Atc', 'select 6 * 7'])).toBe('42');
    expect(sh('psql', [postgres.directUrl, '-Atc', 'select 1'])).toBe('1');
    expect(sh('redis-cli', ['-u', redis.url, 'ping'])).toBe('PONG');
    expect(sh('redis-cli', ['-u', redis.directUrl, 'ping'])).toBe('PONG');
    const marker = `kcat-${Date.now()}`;
    sh('kcat', ['-P', '-b', kafka.brokers[0] as string, '-t', 'cpq.catalog.events', '-k', 'offering-1'], `${marker}\n`);
    const consumed = sh('kcat', [
      '-C',
      '-b',
      kafka.directBrokers[0] as string,
      '-t',
      'cpq.catalog.events',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%k=%s\\n',
    ]);
    expect(consumed).toContain(`offering-1=${marker}`);
    expect(JSON.parse(sh('curl', ['-sf', `${toxiproxy.url}/version`]))).toEqual({ version: 'v2.12.0' });
  });

  it('a second env up reports the running environment instead of starting another', async () => {
    const again = await runCli(['env', 'up', '--json'], cwd);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already up');
    expect((JSON.parse(again.stdout) as EnvironmentEndpoints).id).toBe(endpoints.id);
  });

  it('env down leaves no process, no bound port and no data dir', async () => {
    expect(pids.length).toBe(4);
    const down = await runCli(['env', 'down'], cwd);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain(`environment ${endpoints.id} stopped`);
    for (const pid of pids) expect(groupMembers(pid), `group ${pid}`).toEqual([]);
    const ports =
      JSON.stringify(endpoints)
        .match(/127\.0\.0\.1:(\d+)/g)
        ?.map((hostPort) => Number(hostPort.split(':')[1])) ?? [];
    expect(ports.length).toBeGreaterThan(6);
    for (const port of ports) expect(await isPortFree(port), `port ${port}`).toBe(true);
    expect(fs.existsSync(endpoints.dir)).toBe(false);
    expect(fs.existsSync(path.join(cwd, '.cpqchaos', 'env.json'))).toBe(false);
    const status = await runCli(['env', 'status', '--json'], cwd);
    expect(JSON.parse(status.stdout)).toMatchObject({ up: false });
    const downAgain = await runCli(['env', 'down'], cwd);
    expect(downAgain.stdout).toContain('no environment was up');
  });
});

describe('bad input: one clear line, the contract exit code, nothing started', () => {
  const cwd = tmp('cpqchaos-bad-');
  const runRoot = tmp('cpqchaos-runroot-');
  const env = { CPQCHAOS_RUN_ROOT: runRoot };
  const nothingStarted = () => {
    expect(fs.readdirSync(runRoot)).toEqual([]);
    expect(fs.existsSync(path.join(cwd, '.cpqchaos', 'env.json'))).toBe(false);
  };

  it.each([
    [['env', 'up', '--backend', 'docker'], 64, "unknown backend 'docker'"],
    [['run', 'redis-outage', '--backend', 'docker'], 64, "unknown backend 'docker'"],
    [['serve', '--backend', 'docker'], 64, "unknown backend 'docker'"],
    [['env', 'up', '--frobnicate'], 64, "Unknown option '--frobnicate'"],
    [['env', 'sideways'], 64, "unknown env command 'sideways'"],
    [['frobnicate'], 64, "unknown command 'frobnicate'"],
    [['env', 'up', '--backend', 'testcontainers'], 255, 'DOCKER_HOST=tcp://127.0.0.1:9 does not answer'],
  ])('%j exits %i', async (args, code, message) => {
    // An engine the user points at that does not answer: never replaced by a private one.
    const result = await runCli(args, cwd, { ...env, DOCKER_HOST: 'tcp://127.0.0.1:9' });
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    nothingStarted();
  });

  it('a missing Go toolchain (cold cache) is reported before anything is built or started', async () => {
    const result = await runCli(['env', 'up'], cwd, {
      ...env,
      CPQCHAOS_CACHE: tmp('cpqchaos-cold-'),
      PATH: '/usr/bin:/bin',
    });
    expect(result.code).toBe(255);
    expect(result.stderr).toContain('the Go toolchain is missing');
    expect(result.stderr).toContain('put `go` on PATH');
    nothingStarted();
  });

  it('a missing Java is reported before anything starts', async () => {
    const result = await runCli(['env', 'up'], cwd, { ...env, PATH: tmp('cpqchaos-nopath-') });
    expect(result.code).toBe(255);
    expect(result.stderr).toContain('Java is missing');
    nothingStarted();
  });
});

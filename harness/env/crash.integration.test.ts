// Integration: no orphan processes, ever — an owner interrupted with SIGINT stops its environment;
// one killed with SIGKILL has its watchdog stop it within seconds; if the watchdog dies too, the next
// `env down` finds the leftover, names it and removes it; `await using` tears down when the caller
// throws; and two environments run side by side without clashing.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { startEnvironment } from './environment.ts';
import { groupMembers } from './process.ts';
import { fastFailRedis, queryOnce, runCli } from './testing/clients.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Held {
  child: ChildProcess;
  info: { id: string; dir: string; pids: number[]; watchdog: number };
}

/** Starts a child process that holds an environment; resolves once it is up. */
async function holdEnvironment(): Promise<Held> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'harness/env/testing/hold-environment.ts')],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const line = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
  });
  return { child, info: JSON.parse(line) as Held['info'] };
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve({ code: child.exitCode, signal: child.signalCode })
      : child.once('exit', (code, signal) => resolve({ code, signal })),
  );

const allGone = (pids: number[]) => pids.every((pid) => groupMembers(pid).length === 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('no orphan processes', () => {
  it('SIGINT to the owner stops every service and removes the data dir', async () => {
    const { child, info } = await holdEnvironment();
    expect(info.pids).toHaveLength(4);
    expect(allGone(info.pids)).toBe(false);
    child.kill('SIGINT');
    expect(await exited(child)).toEqual({ code: 130, signal: null });
    expect(allGone(info.pids)).toBe(true);
    expect(fs.existsSync(info.dir)).toBe(false);
  });

  it('after SIGKILL of the owner, its watchdog stops every service and removes the data within 15 s', async () => {
    const { child, info } = await holdEnvironment();
    expect(allGone(info.pids)).toBe(false);
    child.kill('SIGKILL');
    await exited(child);
    const deadline = Date.now() + 15_000;
    while (!(allGone(info.pids) && !fs.existsSync(info.dir)) && Date.now() < deadline) await sleep(100);
    expect(allGone(info.pids)).toBe(true);
    expect(fs.existsSync(info.dir)).toBe(false);
  });

  it('after SIGKILL of the owner and its watchdog, the next env down finds the leftover and removes it', async () => {
    const { child, info } = await holdEnvironment();
    process.kill(info.watchdog, 'SIGKILL');
    child.kill('SIGKILL');
    await exited(child);
    expect(allGone(info.pids)).toBe(false); // nothing could clean up: the services are orphans now
    const down = await runCli(['env', 'down'], fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-down-')));
    expect(down.code).toBe(0);
    expect(down.stdout).toContain(`cleaned leftover environments: `);
    expect(down.stdout).toContain(info.id);
    expect(allGone(info.pids)).toBe(true);
    expect(fs.existsSync(info.dir)).toBe(false);
  });

  it('await using stops the environment when the caller throws', async () => {
    let seen: { dir: string; pids: number[] } | undefined;
    await expect(
      (async () => {
        await using env = await startEnvironment();
        seen = { dir: env.dir, pids: env.services().map((s) => s.record.pid) };
        throw new Error('the caller failed');
      })(),
    ).rejects.toThrow('the caller failed');
    expect(seen && allGone(seen.pids)).toBe(true);
    expect(seen && fs.existsSync(seen.dir)).toBe(false);
  });

  it('two environments run at once without clashing', async () => {
    const [a, b] = await Promise.all([startEnvironment(), startEnvironment()]);
    try {
      const portsOf = (e: typeof a) => new Set(JSON.stringify(e.endpoints).match(/127\.0\.0\.1:\d+/g));
      const shared = [...portsOf(a)].filter((p) => portsOf(b).has(p));
      expect(shared).toEqual([]);
      const redisA = fastFailRedis(a.endpoints.services.redis.url);
      const redisB = fastFailRedis(b.endpoints.services.redis.url);
      await Promise.all([redisA.connect(), redisB.connect()]);
      await redisA.set('owner', 'a');
      expect(await redisB.get('owner')).toBeNull();
      redisA.disconnect();
      redisB.disconnect();
      await queryOnce(a.endpoints.services.postgres.directUrl, 'create table only_in_a (x int)');
      const inB = await queryOnce(b.endpoints.services.postgres.directUrl, "select to_regclass('only_in_a') as t");
      expect(inB).toEqual([{ t: null }]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

// Integration: nothing outlives a harness that dies. SIGKILL of `cpqchaos run` mid-workload (with
// a fault in force) leaves no service and no component of its own environment alive 15 s later and
// removes the environment's data; with an environment `env up` keeps, the run's faults are healed
// (every proxy enabled, no toxic) and its components stopped while the environment stays up; and
// Ctrl-C while the system is still starting exits within 10 s with the incomplete report.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processRecords } from '../env/manifest.ts';
import { isAlive, type ProcessRecord } from '../env/process.ts';
import { runCli } from '../env/testing/clients.ts';
import { recordsIn } from '../env/watchdog.ts';

const BIN = path.resolve('bin/cpqchaos.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-kill-'));
  fs.chmodSync(dir, 0o755);
  return dir;
};

/** Starts `cpqchaos …` in `cwd`; collects its output. */
function cli(args: string[], cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const state = { output: '', child: child as ChildProcess };
  child.stdout.on('data', (chunk: Buffer) => (state.output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (state.output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const waitFor = async (pattern: RegExp, ms = 120_000) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(state.output) && Date.now() < deadline) await sleep(100);
    expect(state.output).toMatch(pattern);
  };
  return { state, exited, waitFor };
}

/** Waits until the run's history shows a fault in force: its last completed nemesis op started one. */
async function faultInForce(cwd: string, ms = 120_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const runDir = fs.realpathSync(path.join(cwd, 'out/latest'));
      const nemesis = fs
        .readFileSync(path.join(runDir, 'history.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"nemesis"') && line.includes('"type":"ok"'));
      if (nemesis.at(-1)?.includes('"start-fault"')) return runDir;
    } catch {
      // not written yet
    }
    await sleep(100);
  }
  throw new Error('no fault came into force');
}

/** Polls until no record is alive or `ms` pass; returns the names still alive. */
async function survivors(records: readonly ProcessRecord[], ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  while (records.some(isAlive) && Date.now() < deadline) await sleep(250);
  return records.filter(isAlive).map((r) => r.spec.name);
}

const envDirsIn = (cwd: string) =>
  fs.existsSync(path.join(cwd, 'envs'))
    ? fs
        .readdirSync(path.join(cwd, 'envs'))
        .filter((d) => d.startsWith('env-'))
        .map((d) => path.join(cwd, 'envs', d))
    : [];

describe('SIGKILL of the harness', () => {
  it('mid-fault, with its own environment: no process left 15 s later, data removed', async () => {
    const cwd = tmp();
    const run = cli(['run', 'redis-outage', '--seed', '4', '--time-limit', '60', '--out', 'out'], cwd);
    const runDir = await faultInForce(cwd);
    const envDirs = envDirsIn(cwd);
    const records = [...envDirs.flatMap(processRecords), ...recordsIn(path.join(runDir, 'system/pids'))];
    expect(records.length).toBeGreaterThanOrEqual(4 + 5);
    expect(records.every(isAlive)).toBe(true);

    const killedAt = Date.now();
    run.state.child.kill('SIGKILL');
    await run.exited;
    expect(await survivors(records, 15_000)).toEqual([]);
    // The watchdog removes the data once every process is gone: poll for it within the same 15 s.
    const remaining = () => envDirs.filter((d) => fs.existsSync(d));
    while (remaining().length > 0 && Date.now() - killedAt < 15_000) await sleep(250);
    const seconds = (Date.now() - killedAt) / 1000;
    expect(remaining()).toEqual([]);
    expect(seconds).toBeLessThan(15);
    expect(fs.readFileSync(path.join(runDir, 'history.jsonl'), 'utf8').length).toBeGreaterThan(0);
  }, 240_000);

  it('with an environment env up keeps: the faults are healed and the components stopped; the services stay', async () => {
    const cwd = tmp();
    const runRoot = path.join(cwd, 'envs');
    const up = await runCli(['env', 'up', '--json'], cwd, { CPQCHAOS_RUN_ROOT: runRoot });
    expect(up.code, up.stderr).toBe(0);
    const endpoints = JSON.parse(up.stdout) as { dir: string; services: { toxiproxy: { url: string } } };
    try {
      const run = cli(['run', 'redis-outage', '--seed', '4', '--time-limit', '60', '--out', 'out'], cwd);
      await faultInForce(cwd);
      const proxies = async () =>
        (await (await fetch(`${endpoints.services.toxiproxy.url}/proxies`)).json()) as Record<
          string,
          { enabled: boolean; toxics: unknown[] }
        >;
      expect(Object.values(await proxies()).some((p) => !p.enabled)).toBe(true); // the outage is in force
      const components = recordsIn(path.join(fs.realpathSync(path.join(cwd, 'out/latest')), 'system/pids'));
      run.state.child.kill('SIGKILL');
      await run.exited;
      expect(await survivors(components, 15_000)).toEqual([]);
      const deadline = Date.now() + 15_000;
      while (Object.values(await proxies()).some((p) => !p.enabled) && Date.now() < deadline) await sleep(250);
      expect(Object.values(await proxies()).every((p) => p.enabled && p.toxics.length === 0)).toBe(true);
      expect(processRecords(endpoints.dir).every(isAlive)).toBe(true); // env up's environment stays
    } finally {
      await runCli(['env', 'down'], cwd, { CPQCHAOS_RUN_ROOT: runRoot });
    }
  }, 240_000);
});

describe('Ctrl-C while the system starts', () => {
  it('exits within 10 s with 130 and an incomplete report, leaving no process', async () => {
    const cwd = tmp();
    const run = cli(['run', 'tenant-collision', '--seed', '4', '--out', 'out'], cwd);
    await run.waitFor(/starting the reference CPQ\/OMS/);
    const envDirs = envDirsIn(cwd);
    const records = envDirs.flatMap(processRecords);
    const interruptedAt = Date.now();
    run.state.child.kill('SIGINT');
    const code = await run.exited;
    const seconds = (Date.now() - interruptedAt) / 1000;
    expect(code, run.state.output).toBe(130);
    expect(seconds).toBeLessThan(10);
    const runDir = fs.realpathSync(path.join(cwd, 'out/latest'));
    expect(JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8'))).toMatchObject({ incomplete: true });
    const components = recordsIn(path.join(runDir, 'system/pids'));
    expect(await survivors([...records, ...components], 5_000)).toEqual([]);
  }, 240_000);
});

// Integration: `run`, `analyze` and `replay` end to end on the real services, and a run interrupted
// by SIGINT — it still writes its history and a summary marked incomplete, exits 130, and leaves
// no process of the environment or the reference system behind.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processRecords } from '../env/manifest.ts';
import { isAlive, readPidFile, type ProcessRecord } from '../env/process.ts';
import { runCli } from '../env/testing/clients.ts';

const BIN = path.resolve('bin/cpqchaos.mjs');
/** A scratch dir PostgreSQL (running as the `postgres` user under root) can traverse. */
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-run-'));
  fs.chmodSync(dir, 0o755);
  return dir;
};
const json = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('run → analyze → replay', () => {
  const cwd = tmp();
  const env = { CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') };

  it('runs a scenario, writes the run directory, and analyze and replay agree with it', async () => {
    const first = await runCli(
      ['run', 'tenant-collision', '--seed', '5', '--time-limit', '3', '--out', 'out'],
      cwd,
      env,
    );
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/run: PASS — 1 scenario\(s\)/);
    const dir = fs.realpathSync(path.join(cwd, 'out/latest'));
    for (const file of [
      'run.json',
      'history.jsonl',
      'results.json',
      'summary.json',
      'junit.xml',
      'summary.md',
      'index.html',
      'final-state.json',
    ])
      expect(fs.existsSync(path.join(dir, file)), file).toBe(true);
    const summary = json(path.join(dir, 'summary.json'));
    expect(summary).toMatchObject({
      valid: true,
      seed: 5,
      bugs: [],
      scenarios: [{ name: 'tenant-collision', valid: true }],
    });
    expect(summary.scenarios[0].ops.invoke).toBeGreaterThan(100);

    const analyzed = await runCli(['analyze', dir], cwd, env);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    expect(json(path.join(dir, 'summary.json')).scenarios[0].checkers.map((c: { valid: unknown }) => c.valid)).toEqual(
      summary.scenarios[0].checkers.map((c: { valid: unknown }) => c.valid),
    );

    const replayed = await runCli(['replay', dir, '--out', 'out'], cwd, env);
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(0);
    const again = json(path.join(fs.realpathSync(path.join(cwd, 'out/latest')), 'run.json'));
    expect(again).toMatchObject({ scenarios: ['tenant-collision'], seed: 5, bugs: [], timeLimitS: 3 });
    expect(fs.readdirSync(path.join(cwd, 'envs')).filter((d) => d.startsWith('env-'))).toEqual([]); // own envs removed
  }, 240_000);
});

describe('SIGINT during a run', () => {
  it('writes the history and an incomplete summary, exits 130, and leaves no process', async () => {
    const cwd = tmp();
    const child = spawn(
      process.execPath,
      [BIN, 'run', 'redis-outage', '--seed', '3', '--time-limit', '60', '--out', 'out'],
      {
        cwd,
        env: { ...process.env, CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const deadline = Date.now() + 120_000;
    while (!/redis-outage · workload/.test(output) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(output).toMatch(/redis-outage · workload/);

    const runDir = fs.realpathSync(path.join(cwd, 'out/latest'));
    const envDirs = fs.readdirSync(path.join(cwd, 'envs')).filter((d) => d.startsWith('env-'));
    const records: ProcessRecord[] = [
      ...envDirs.flatMap((d) => processRecords(path.join(cwd, 'envs', d))),
      ...fs
        .readdirSync(path.join(runDir, 'system/pids'))
        .map((f) => readPidFile(path.join(runDir, 'system/pids', f)))
        .filter((r): r is ProcessRecord => r !== undefined),
    ];
    expect(records.length).toBeGreaterThanOrEqual(4 + 5); // 4 services, 2 API instances, relay, consumers, invalidation
    expect(records.every(isAlive)).toBe(true);

    child.kill('SIGINT');
    expect(await exited, output).toBe(130);
    expect(output).toMatch(/interrupted/);
    const summary = json(path.join(runDir, 'summary.json'));
    expect(summary).toMatchObject({ incomplete: true, valid: 'unknown' });
    expect(fs.readFileSync(path.join(runDir, 'history.jsonl'), 'utf8').split('\n').length).toBeGreaterThan(10);
    expect(records.filter(isAlive).map((r) => r.spec.name)).toEqual([]);
  }, 240_000);
});

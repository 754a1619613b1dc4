// Integration: `load` as a user runs it. A smoke run split over two k6 processes by execution
// segments merges both instances' requests into one history, every checker judges them, the
// phased table and k6's thresholds reach the terminal and summary.md, and no k6 is left running;
// k6 processes that run elsewhere (as k6-operator pods would) merge into one history through the
// shared directory; with the planted bug submit-trusts-cache and a Redis restart, the stale submit is found under
// load (exit 1) with the line that runs it again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { PACKAGE_ROOT } from '../env/paths.ts';
import { isAlive, readPidFile } from '../env/process.ts';
import { goToolPath } from '../env/provision/go-tools.ts';
import { runCli } from '../env/testing/clients.ts';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-load-'));
fs.chmodSync(cwd, 0o755);
const env = { CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') };
const latest = (file: string) => path.join(cwd, 'reports/latest', file);

/** Starts k6 as a k6-operator pod would: its own name, the shared variables, a segment, files under `dir/<pod>`. */
function pod(dir: string, name: string, segment: string): ChildProcess {
  const vars = Object.fromEntries(
    fs
      .readFileSync(path.join(dir, 'cpqchaos.env'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  const args = ['run', '--quiet', '--log-format=raw', '--address=', `--console-output=${dir}/${name}/console.log`];
  args.push(`--summary-export=${dir}/${name}/summary.json`, `--execution-segment=${segment}`);
  args.push('--execution-segment-sequence=0,1/2,1', path.join(PACKAGE_ROOT, 'k6/smoke.ts'));
  return spawn(goToolPath('k6'), args, {
    env: { ...process.env, ...vars, INSTANCE: name, K6_NO_USAGE_REPORT: 'true' },
    stdio: 'ignore',
  });
}

describe('cpqchaos load', () => {
  it('smoke over two k6 instances: one merged history, every checker judged, thresholds and phases reported', async () => {
    const result = await runCli(['load', 'smoke', '--instances', '2', '--duration', '20s', '--seed', '1'], cwd, env);
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.code, output).toBe(0);
    expect(result.stdout).toMatch(/k6 smoke: \d+ requests, 0 without an answer or 5xx, k6 exit 0, 0/);
    expect(result.stdout).toMatch(/✓ http_req_duration\{op:read-price\} p\(95\)<50/);
    expect(result.stdout).toMatch(/phase\s+op\s+requests\s+errors\s+p50 ms\s+p95 ms\s+p99 ms\s+req\/s/);
    // The system measured at rest before k6, and its fixed cost parted from what the requests added.
    expect(result.stdout).toMatch(
      /CPU per request above the system at rest: \d+\.\d\d ms — at rest \(5 s before k6\) it used \d\.\d{3} cores/,
    );
    const summary = JSON.parse(fs.readFileSync(latest('summary.json'), 'utf8'));
    for (const checker of summary.scenarios[0].checkers) {
      expect(checker.valid, checker.name).toBe(true);
      expect(checker.opportunities, checker.name).toBeGreaterThan(0);
    }
    // Both instances' VUs are in the one history, each request paired with its completion.
    const history = fs
      .readFileSync(latest('history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { process: string | number; type: string });
    const k6 = history.filter((op) => String(op.process).startsWith('k6-'));
    const instances = new Set(k6.map((op) => String(op.process).split('-')[1]));
    expect([...instances].sort()).toEqual(['0', '1']);
    expect(k6.filter((op) => op.type === 'invoke').length).toBe(k6.filter((op) => op.type !== 'invoke').length);
    expect(fs.readFileSync(latest('summary.md'), 'utf8')).toMatch(
      /### Load: load-smoke[\s\S]*\| before faults|\| run \|/,
    );
    const dir = path.join(cwd, 'reports/latest/scenarios/load-smoke');
    for (const i of ['0', '1']) {
      expect(fs.existsSync(path.join(dir, `k6-${i}.summary.json`))).toBe(true);
      expect(fs.statSync(path.join(dir, `k6-${i}.dashboard.html`)).size).toBeGreaterThan(10_000);
    }
    // Every k6 it started has stopped and its pid file is gone.
    const pids = fs.readdirSync(path.join(dir, 'k6-pids'));
    expect(pids.map((f) => readPidFile(path.join(dir, 'k6-pids', f))).filter((r) => r && isAlive(r))).toEqual([]);
  }, 300_000);

  it('merges the histories of k6 pods that run elsewhere (k6-operator), each writing into the shared directory', async () => {
    const dir = path.join(cwd, 'k6-pods');
    const run = runCli(
      ['load', 'smoke', '--k6-dir', dir, '--instances', '2', '--duration', '10s', '--seed', '3'],
      cwd,
      env,
    );
    const deadline = Date.now() + 120_000;
    while (!fs.existsSync(path.join(dir, 'cpqchaos.env')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    const pods = [pod(dir, 'pod-a', '0:1/2'), pod(dir, 'pod-b', '1/2:1')];
    const result = await run;
    const exits = await Promise.all(
      pods.map((p) => (p.exitCode !== null ? p.exitCode : new Promise((r) => p.once('exit', r)))),
    );
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.code, output).toBe(0);
    expect(exits).toEqual([0, 0]);
    const history = fs.readFileSync(latest('history.jsonl'), 'utf8');
    expect(history).toContain('"process":"k6-pod-a-');
    expect(history).toContain('"process":"k6-pod-b-');
    expect(result.stdout).toMatch(/✓ http_req_failed rate<0.01/);
  }, 300_000);

  it('finds the stale submit of submit-trusts-cache under load while Redis restarts, and prints the line to rerun it', async () => {
    const args = ['load', 'smoke', '--bugs', 'submit-trusts-cache', '--faults', 'redis-restart', '--seed', '2'];
    const result = await runCli(args, cwd, env);
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.code, output).toBe(1);
    expect(result.stdout).toMatch(/no-stale-submit: stale-submit ×\d+/);
    expect(result.stdout).toContain('replay load-smoke: npx cpqchaos load smoke --bugs submit-trusts-cache');
    expect(result.stdout).toMatch(/during redis-kill/);
  }, 300_000);
});

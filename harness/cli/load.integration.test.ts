// Integration: `load` as a user runs it. A smoke run split over two k6 processes by execution
// segments merges both instances' requests into one history, every checker judges them, the
// phased table and k6's thresholds reach the terminal and summary.md, and no k6 is left running;
// with the planted bug submit-trusts-cache and a Redis restart, the stale submit is found under
// load (exit 1) with the line that runs it again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, readPidFile } from '../env/process.ts';
import { runCli } from '../env/testing/clients.ts';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-load-'));
fs.chmodSync(cwd, 0o755);
const env = { CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') };
const latest = (file: string) => path.join(cwd, 'reports/latest', file);

describe('cpqchaos load', () => {
  it('smoke over two k6 instances: one merged history, every checker judged, thresholds and phases reported', async () => {
    const result = await runCli(['load', 'smoke', '--instances', '2', '--duration', '20s', '--seed', '1'], cwd, env);
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.code, output).toBe(0);
    expect(result.stdout).toMatch(/k6 smoke: \d+ requests, 0 without an answer or 5xx, k6 exit 0, 0/);
    expect(result.stdout).toMatch(/✓ http_req_duration\{op:read-price\} p\(95\)<50/);
    expect(result.stdout).toMatch(/phase\s+op\s+requests\s+errors\s+p50 ms\s+p95 ms\s+p99 ms\s+req\/s/);
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

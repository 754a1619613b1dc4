// Integration: the duplicate-convert scenario's self-check, run as a user runs it. On the correct
// system both idempotency checkers judge real cases and hold; with `convert-not-idempotent` they
// both fail (contract section 5); with `idempotency-redis-only`, single-order-per-quote fails
// under the scenario's Redis outage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../env/testing/clients.ts';

interface Checker {
  name: string;
  valid: boolean | 'unknown';
  opportunities: number;
}

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-idempotency-'));
fs.chmodSync(cwd, 0o755);
const env = { CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') };

async function run(bugs: string[]): Promise<{ code: number | null; checkers: Checker[]; output: string }> {
  const args = [
    'run',
    'duplicate-convert',
    '--seed',
    '11',
    '--out',
    'reports',
    ...(bugs.length ? ['--bugs', bugs.join(',')] : []),
  ];
  const result = await runCli(args, cwd, env);
  const summary = JSON.parse(fs.readFileSync(path.join(cwd, 'reports/latest/summary.json'), 'utf8'));
  return { code: result.code, checkers: summary.scenarios[0].checkers, output: `${result.stdout}\n${result.stderr}` };
}

const failing = (checkers: Checker[]) => checkers.filter((c) => c.valid === false).map((c) => c.name);

describe('duplicate-convert self-check', () => {
  it('holds on the correct system, having judged real cases', async () => {
    const { code, checkers, output } = await run([]);
    expect(failing(checkers), output).toEqual([]);
    expect(code, output).toBe(0);
    for (const checker of checkers) expect(checker.opportunities, checker.name).toBeGreaterThan(5);
  }, 300_000);

  it('catches convert-not-idempotent with single-order-per-quote and idempotent-replay', async () => {
    const { code, checkers, output } = await run(['convert-not-idempotent']);
    expect(failing(checkers), output).toEqual(expect.arrayContaining(['single-order-per-quote', 'idempotent-replay']));
    expect(code, output).toBe(1);
  }, 300_000);

  it('catches idempotency-redis-only with single-order-per-quote', async () => {
    const { code, checkers, output } = await run(['idempotency-redis-only']);
    expect(failing(checkers), output).toContain('single-order-per-quote');
    expect(code, output).toBe(1);
  }, 300_000);
});

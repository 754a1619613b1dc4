// Integration: the duplicate-convert scenario run as a user runs it, on the correct system: both
// idempotency checkers judge real cases (not a vacuous pass) and hold, and every idempotency outcome
// of the contract happens. That the scenario catches `convert-not-idempotent` and
// `idempotency-redis-only` is shown by the gate's self-check (gate.integration.test.ts).
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
    const outcomes = fs
      .readFileSync(path.join(cwd, 'reports/latest/history.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"f":"convert"') && !line.includes('"type":"invoke"'))
      .map((line) => JSON.parse(line) as { type: string; error?: string; value: { status?: number } });
    const seen = new Set(
      outcomes.map((op) => (op.type === 'info' ? 'info' : `${op.value.status} ${op.error ?? ''}`.trim())),
    );
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['201', '409 QUOTE_ALREADY_CONVERTED', '422 IDEMPOTENCY_KEY_REUSED']),
    );
  }, 300_000);
});

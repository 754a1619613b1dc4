// Integration, the slow one: the gate's self-check. For every planted bug the gate covers (the cache
// family and the idempotency bugs), `cpqchaos gate --bugs X` exits 1 with the checker that bug must
// be caught by (contract section 5) failing; the plain gate on the correct system exits 0. Each
// gate runs exactly as a user runs it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../env/testing/clients.ts';

/** Contract section 5: each bug the gate covers and the checker that must catch it. */
const CAUGHT_BY: Record<string, string> = {
  'submit-trusts-cache': 'no-stale-submit',
  'no-version-check': 'no-stale-submit',
  'policy-from-cache': 'no-approval-bypass',
  'tenantless-cache-keys': 'tenant-isolation',
  'delete-invalidation': 'bounded-staleness',
  'no-single-flight': 'stampede-bound',
  'redis-required': 'availability-under-cache-outage',
  'convert-not-idempotent': 'single-order-per-quote',
  'idempotency-redis-only': 'single-order-per-quote',
};

interface Summary {
  valid: boolean | 'unknown';
  bugs: string[];
  scenarios: { name: string; valid: boolean | 'unknown'; checkers: { name: string; valid: boolean | 'unknown' }[] }[];
}

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-gate-'));
fs.chmodSync(cwd, 0o755); // PostgreSQL runs as the `postgres` user under root: it must traverse
const env = { CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') };
const SEED = String(process.env.CPQCHAOS_GATE_SEED ?? 20261124);

async function gate(args: string[]): Promise<{ code: number | null; summary: Summary; output: string }> {
  const result = await runCli(['gate', '--seed', SEED, '--out', 'reports', ...args], cwd, env);
  const summary = JSON.parse(fs.readFileSync(path.join(cwd, 'reports/latest/summary.json'), 'utf8')) as Summary;
  return { code: result.code, summary, output: `${result.stdout}\n${result.stderr.split('\n').slice(-20).join('\n')}` };
}

const failing = (summary: Summary) =>
  summary.scenarios.flatMap((s) => s.checkers.filter((c) => c.valid === false).map((c) => `${s.name}/${c.name}`));

describe('gate self-check', () => {
  it('passes on the correct system', async () => {
    const { code, summary, output } = await gate([]);
    expect(failing(summary), output).toEqual([]);
    expect(code, output).toBe(0);
    expect(summary.valid).toBe(true);
  }, 600_000);

  for (const [bug, checker] of Object.entries(CAUGHT_BY)) {
    it(`catches ${bug} with ${checker}`, async () => {
      const { code, summary, output } = await gate(['--bugs', bug]);
      expect(summary.bugs).toEqual([bug]);
      expect(
        failing(summary).map((f) => f.split('/')[1]),
        output,
      ).toContain(checker);
      expect(code, output).toBe(1);
    }, 600_000);
  }
});

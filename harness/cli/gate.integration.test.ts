// Integration, the slow one: the gate's self-check. The plain gate on the correct system exits 0.
// For every planted bug of contract section 5 (all seventeen, each listed here), a targeted run of the gate scenarios that catch it
// (`cpqchaos run <scenarios> --bugs X`, the same scenarios, seed and time limits the gate runs)
// exits 1 with the checker that bug must be caught by (contract section 5) failing. Targeted runs
// keep CI within its budget: ten full gates took 37 of CI's 60 minutes. Every scenario named here
// must be tagged `gate`, so what the targeted run proves is what the gate runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenariosTagged } from '../../scenarios/index.ts';
import { runCli } from '../env/testing/clients.ts';
import { referenceSystem } from '../system/reference-system.ts';

/** Contract section 5: each bug the gate covers, the checker that must catch it, and where it shows. */
const CAUGHT_BY: Record<string, { checker: string; scenarios: string[] }> = {
  'submit-trusts-cache': { checker: 'no-stale-submit', scenarios: ['stale-price-submit', 'stale-catalog-submit'] },
  'no-version-check': { checker: 'no-stale-submit', scenarios: ['stale-price-submit', 'stale-catalog-submit'] },
  'policy-from-cache': { checker: 'no-approval-bypass', scenarios: ['approval-policy-change'] },
  'tenantless-cache-keys': { checker: 'tenant-isolation', scenarios: ['stale-price-submit', 'redis-latency'] },
  'delete-invalidation': { checker: 'bounded-staleness', scenarios: ['invalidation-lag', 'stale-catalog-submit'] },
  'no-single-flight': { checker: 'stampede-bound', scenarios: ['hot-key-stampede'] },
  'redis-required': { checker: 'availability-under-cache-outage', scenarios: ['redis-outage', 'redis-restart'] },
  'convert-not-idempotent': { checker: 'single-order-per-quote', scenarios: ['duplicate-convert'] },
  'idempotency-redis-only': { checker: 'single-order-per-quote', scenarios: ['duplicate-convert'] },
  'relay-marks-before-publish': { checker: 'no-lost-events', scenarios: ['kafka-outage'] },
  'consumer-no-dedupe': { checker: 'effects-exactly-once', scenarios: ['consumer-crash-redelivery'] },
  'relay-drops-failed-batch': { checker: 'no-lost-events', scenarios: ['kafka-outage-beyond-retries'] },
  'redis-no-timeout': { checker: 'availability-under-cache-outage', scenarios: ['redis-outage'] },
  'inbox-separate-transaction': { checker: 'effects-exactly-once', scenarios: ['consumer-crash-redelivery'] },
  'leak-broken-connections': { checker: 'available-after-recovery', scenarios: ['postgres-cut-and-refusal'] },
  'consumer-skips-failed-events': { checker: 'effects-exactly-once', scenarios: ['postgres-cut-and-refusal'] },
  'wall-clock-ttl': { checker: 'bounded-staleness', scenarios: ['clock-skew'] },
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

/** Runs `cpqchaos <args…>` as a user does; returns its exit code, summary and the end of its output. */
async function cpqchaos(args: string[]): Promise<{ code: number | null; summary: Summary; output: string }> {
  const result = await runCli([...args, '--seed', SEED, '--out', 'reports'], cwd, env);
  const summary = JSON.parse(fs.readFileSync(path.join(cwd, 'reports/latest/summary.json'), 'utf8')) as Summary;
  return { code: result.code, summary, output: `${result.stdout}\n${result.stderr.split('\n').slice(-20).join('\n')}` };
}

const failing = (summary: Summary) =>
  summary.scenarios.flatMap((s) => s.checkers.filter((c) => c.valid === false).map((c) => `${s.name}/${c.name}`));

describe('gate self-check', () => {
  it('names only scenarios the gate runs, and every planted bug', () => {
    const gate = new Set(scenariosTagged('gate').map((s) => s.name));
    expect(Object.values(CAUGHT_BY).flatMap((c) => c.scenarios.filter((s) => !gate.has(s)))).toEqual([]);
    expect(Object.keys(CAUGHT_BY).sort()).toEqual([...referenceSystem.bugs].sort());
  });

  it('passes on the correct system', async () => {
    const { code, summary, output } = await cpqchaos(['gate']);
    expect(failing(summary), output).toEqual([]);
    expect(code, output).toBe(0);
    expect(summary.valid).toBe(true);
  }, 600_000);

  for (const [bug, { checker, scenarios }] of Object.entries(CAUGHT_BY)) {
    it(`catches ${bug} with ${checker} (${scenarios.join(', ')})`, async () => {
      const { code, summary, output } = await cpqchaos(['run', ...scenarios, '--bugs', bug]);
      expect(summary.bugs).toEqual([bug]);
      expect(
        failing(summary).map((f) => f.split('/')[1]),
        output,
      ).toContain(checker);
      expect(code, output).toBe(1);
    }, 600_000);
  }
});

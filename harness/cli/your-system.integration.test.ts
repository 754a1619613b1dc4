// Integration: the reference system described by examples/reference-system.yaml, on the real
// services — check-system finds every contract endpoint, read and ability working and every
// scenario, drill and family runnable; scenarios run through the manifest catch planted bugs passed
// as ${bugs} (a cache bug, a messaging bug through a failpoint, a clock bug through libfaketime),
// and run.json and the replay lines carry the manifest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../env/testing/clients.ts';
import type { SystemCheck } from './check-system/check-report.ts';

const EXAMPLE = path.resolve('examples/reference-system.yaml');
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-manifest-'));
fs.chmodSync(cwd, 0o755); // PostgreSQL runs as the `postgres` user under root: it must traverse
const env = { CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') };
const json = <T>(file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

describe('the reference system through its manifest', () => {
  it('check-system: every endpoint, read and ability works; everything can run', async () => {
    const out = path.join(cwd, 'check.json');
    const result = await runCli(['check-system', EXAMPLE, '--backend', 'native', '--out', out], cwd, env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const check = json<SystemCheck>(out);
    expect(check.live?.endpoints.filter((e) => !e.ok)).toEqual([]);
    expect(check.live?.endpoints.length).toBeGreaterThan(30);
    expect(check.live?.reads.filter((r) => !r.ok)).toEqual([]);
    expect(check.live?.abilities.filter((a) => !a.ok)).toEqual([]);
    // kill, restart, pause and clock on each of 5 components, and each failpoint of each.
    expect(check.live?.abilities.length).toBe(5 * 4 + 2 + 2 + 2 + 2 + 2);
    expect(check.runnable.filter((r) => !r.runs)).toEqual([]);
    expect(result.stdout).toContain('every gate scenario can run');
  });

  it('catches planted bugs passed through the manifest, and records it for replay', async () => {
    const result = await runCli(
      [
        ...['run', 'stale-price-submit', 'consumer-crash-redelivery', 'clock-skew', '--seed', '3'],
        ...['--bugs', 'submit-trusts-cache,consumer-no-dedupe,wall-clock-ttl', '--system', EXAMPLE],
        ...['--backend', 'native', '--out', 'out'],
      ],
      cwd,
      env,
    );
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const dir = path.join(cwd, 'out/latest');
    const summary = json<{
      scenarios: { name: string; replay: string; checkers: { name: string; valid: unknown }[] }[];
    }>(path.join(dir, 'summary.json'));
    const broken = (scenario: string, checker: string) =>
      summary.scenarios.find((s) => s.name === scenario)?.checkers.find((c) => c.name === checker)?.valid;
    expect(broken('stale-price-submit', 'no-stale-submit')).toBe(false);
    expect(broken('consumer-crash-redelivery', 'effects-exactly-once')).toBe(false);
    expect(broken('clock-skew', 'bounded-staleness')).toBe(false);
    expect(json<{ system: string; systemFile: string }>(path.join(dir, 'run.json'))).toMatchObject({
      system: 'reference CPQ/OMS (manifest)',
      systemFile: EXAMPLE,
    });
    expect(summary.scenarios[0]?.replay).toContain(`--system ${EXAMPLE}`);
  });
});

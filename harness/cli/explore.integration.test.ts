// Integration: `explore` as a user runs it. The hostile-input family sends generated malformed
// requests to every endpoint of the live reference system and every one is refused with a 4xx
// problem+json, writing nothing; a counterexample recorded in the failure database is re-run first
// and, against the planted bug it was found with, fails again with its numbered steps and a replay
// line. `gate` reads the same database (its counterexamples are scenarios tagged `gate`, run first):
// a malformed line stops it with a usage error before anything starts. Sequences run at once
// (`--at-once`) each write to their own tenants and share every fault: it is in each one's history.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../env/testing/clients.ts';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-explore-'));
fs.chmodSync(cwd, 0o755);
const env = { CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') };
const summary = () => JSON.parse(fs.readFileSync(path.join(cwd, 'reports/latest/summary.json'), 'utf8'));

/** Found by `explore --family cache --bugs submit-trusts-cache`; the stale-cache window makes it deterministic. */
const counterexample = {
  id: 'stale-window-submit',
  date: '2026-11-26T00:00:00.000Z',
  seed: 3,
  path: '0',
  family: 'cache',
  maxSteps: 12,
  bugs: ['submit-trusts-cache'],
  steps: [
    { kind: 'fault', fault: 'stale-cache-window', action: 'start' },
    { kind: 'create-quote', tenant: 0, offering: 'router', quantity: 1, discountPct: 0, upTo: 'priced' },
    { kind: 'publish', tenant: 0, domain: 'pricing', reads: 0 },
    { kind: 'quote', quote: 0, action: 'submit' },
  ],
  checker: 'no-stale-submit',
  anomaly: 'stale-submit',
};

describe('cpqchaos explore', () => {
  it('--family input: 400 malformed requests, each refused with a 4xx problem+json, nothing written', async () => {
    const result = await runCli(['explore', '--family', 'input', '--runs', '400', '--seed', '1'], cwd, env);
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.code, output).toBe(0);
    expect(result.stdout).toMatch(/explore: 400 malformed requests in \d+ s/);
    const checker = summary().scenarios[0].checkers[0];
    expect(checker).toMatchObject({ name: 'bad-input-rejected', valid: true, opportunities: 400 });
  }, 300_000);

  it('re-runs a recorded counterexample first: against its bug it fails again, with its steps and replay line', async () => {
    fs.mkdirSync(path.join(cwd, '.cpqchaos'), { recursive: true });
    fs.writeFileSync(path.join(cwd, '.cpqchaos/explore-failures.jsonl'), `${JSON.stringify(counterexample)}\n`);
    const listed = await runCli(['list', '--json'], cwd, env);
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({
      name: 'counterexample-stale-window-submit',
      tags: ['gate', 'counterexample'],
    });
    const args = ['explore', '--family', 'cache', '--runs', '1', '--bugs', 'submit-trusts-cache', '--out', 'reports'];
    const result = await runCli(args, cwd, env);
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.code, output).toBe(1);
    expect(result.stderr).toMatch(
      /recorded counterexample stale-window-submit \(4 steps, found 2026-11-26\): fails again/,
    );
    expect(result.stdout).toMatch(
      /counterexample \(recorded stale-window-submit, failing again\): 4 steps, breaks no-stale-submit/,
    );
    expect(result.stdout).toMatch(
      / 1\. start stale-cache-window\n\s+ 2\. create quote t0: 1× router at 0% off, priced\n\s+ 3\. publish pricing t0\n\s+ 4\. submit q0/,
    );
    expect(result.stdout).toMatch(
      /replay: npx cpqchaos explore --family cache --steps 12 --seed 3 --path 0 --bugs submit-trusts-cache/,
    );
    const written = fs.readFileSync(path.join(cwd, 'reports/latest/counterexample.txt'), 'utf8');
    expect(written).toMatch(/^4 steps, breaks no-stale-submit/);
    const scenarios = summary().scenarios as { name: string; valid: unknown }[];
    expect(scenarios.map((s) => [s.name, s.valid])).toEqual([['counterexample-stale-window-submit', false]]);
  }, 300_000);

  it('--at-once 2: sequences run in rounds on their own tenants, each fault recorded in every history of its round', async () => {
    const dir = path.join(cwd, 'rounds');
    fs.mkdirSync(dir, { recursive: true });
    const args = ['explore', '--family', 'all', '--runs', '4', '--at-once', '2', '--steps', '10', '--seed', '6'];
    const result = await runCli(args, dir, env);
    const output = `${result.stdout}\n${result.stderr}`;
    expect([0, 2], output).toContain(result.code);
    for (const run of [1, 2, 3, 4])
      expect(result.stderr).toMatch(new RegExp(`run-${run}/4: \\d+ steps, passes in .* \\(2 at once\\)`));
    const ops = fs
      .readFileSync(path.join(dir, 'reports/latest/history.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(
        (line) =>
          JSON.parse(line) as {
            process: unknown;
            scenario: string;
            time: number;
            f: string;
            type: string;
            value: Record<string, unknown>;
          },
      );
    const faultsOf = (scenario: string) =>
      ops
        .filter((op) => op.scenario === scenario && op.process === 'nemesis')
        .map((op) => `${op.time} ${op.type} ${op.f} ${String(op.value.fault)}`);
    expect([...faultsOf('run-1'), ...faultsOf('run-3')].length, 'the seed draws faults').toBeGreaterThan(0);
    expect(faultsOf('run-2')).toEqual(faultsOf('run-1'));
    expect(faultsOf('run-4')).toEqual(faultsOf('run-3'));
    // The second round started once the first had healed, while the first still quiesced and read;
    // its histories begin with the first round's fault actions, and it started no fault of its own
    // before the first round's last op.
    const carried = faultsOf('run-1');
    expect(faultsOf('run-3').slice(0, carried.length)).toEqual(carried);
    const timesOf = (names: string[], nemesis: boolean) =>
      ops.filter((op) => names.includes(op.scenario) && (op.process === 'nemesis') === nemesis).map((op) => op.time);
    const firstEnds = Math.max(...timesOf(['run-1', 'run-2'], false), ...timesOf(['run-1', 'run-2'], true));
    expect(Math.min(...timesOf(['run-3', 'run-4'], false)), 'the rounds overlap').toBeLessThan(firstEnds);
    const ownStarts = ops
      .filter((op) => op.scenario === 'run-3' && op.process === 'nemesis')
      .slice(carried.length)
      .filter((op) => op.f === 'start-fault' && op.type === 'invoke');
    for (const start of ownStarts) expect(start.time).toBeGreaterThan(firstEnds);
    // Seed 6 draws faults in both rounds: neither check above passes for want of anything to check.
    expect(carried.length, 'round 1 draws faults').toBeGreaterThan(0);
    expect(ownStarts.length, 'round 2 draws faults').toBeGreaterThan(0);
    // Each sequence wrote only to its own tenants.
    for (const scenario of ['run-1', 'run-2', 'run-3', 'run-4']) {
      const tenants = new Set(
        ops
          .filter((op) => op.scenario === scenario && typeof op.value.tenant === 'string')
          .map((op) => op.value.tenant),
      );
      const prefixes = new Set([...tenants].map((t) => String(t).split('-')[0]));
      expect(prefixes.size, `${scenario}: ${[...tenants].join(', ')}`).toBe(1);
    }
  }, 300_000);

  it('gate refuses a malformed failure database before anything starts', async () => {
    const bad = path.join(cwd, 'bad');
    fs.mkdirSync(path.join(bad, '.cpqchaos'), { recursive: true });
    fs.writeFileSync(path.join(bad, '.cpqchaos/explore-failures.jsonl'), '{"id": 1}\n');
    const refused = await runCli(['gate'], bad, env);
    expect(refused.code, refused.stderr).toBe(64);
    expect(refused.stderr).toMatch(/\.cpqchaos\/explore-failures\.jsonl:1: id must be a string/);
    expect(fs.existsSync(path.join(bad, 'reports'))).toBe(false);
  }, 60_000);
});

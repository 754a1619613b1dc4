// Integration: `gameday` as a user runs it. The Kafka drill runs unattended at speed 2 and passes,
// with detection, containment and recovery measured, an operator's mark from another terminal on
// its timeline (triage measured), a relay restart asked by hand through the drill's control channel,
// the live checkers probe judging, a journal, the HTML timeline, JUnit and summary.md, and nothing
// left running; with the planted bugs relay-marks-before-publish and consumer-no-dedupe, the relay
// and billing drills fail on consistency after recovery (exit 1) with the line that replays them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../env/testing/clients.ts';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-gameday-'));
fs.chmodSync(cwd, 0o755);
const env = { CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') };
const latest = (file: string) => path.join(cwd, 'reports/latest', file);
const liveFile = path.join(cwd, '.cpqchaos/gameday.json');

/** Runs a runbook action by hand in the drill's directory, as an operator would. */
function action(args: string[]): Promise<{ code: number | null; output: string }> {
  const script = path.resolve('scenarios/gamedays/actions/restart-component.mjs');
  const child = spawn(process.execPath, [script, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('cpqchaos gameday', () => {
  it('kafka-unavailable: unattended, passes, with its times measured, a mark from another terminal, and every report', async () => {
    const drill = runCli(['gameday', 'kafka-unavailable', '--speed', '2', '--seed', '1'], cwd, env);
    // Mark triage from "another terminal" once the drill runs (its live file appears with the system).
    let marked: Awaited<ReturnType<typeof runCli>> | undefined;
    let restarted: Awaited<ReturnType<typeof action>> | undefined;
    let refused: Awaited<ReturnType<typeof action>> | undefined;
    const deadline = Date.now() + 240_000;
    while (!marked && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      if (fs.existsSync(liveFile)) {
        await new Promise((r) => setTimeout(r, 12_000)); // into the method
        marked = await runCli(['gameday', 'mark', 'triaged: relay cannot reach Kafka'], cwd, env);
        restarted = await action(['relay']);
        refused = await action(['billing']);
      }
    }
    const result = await drill;
    const output = `${result.stdout}\n${result.stderr}`;
    expect(marked?.code, marked?.stderr).toBe(0);
    expect(restarted?.code, restarted?.output).toBe(0);
    expect(restarted?.output).toMatch(/restarted relay: pid \d+ → \d+/);
    expect(refused?.code, refused?.output).toBe(64);
    expect(refused?.output).toMatch(/refused \(404\) — no component 'billing'/);
    expect(result.code, output).toBe(0);
    expect(result.stdout).toMatch(/gameday Kafka unavailable: PASSED/);
    expect(result.stdout).toMatch(/detection\s+\d+\.\d s/);
    expect(result.stdout).toMatch(/containment\s+\d+\.\d s/);
    expect(result.stdout).toMatch(/recovery\s+\d+\.\d s/);
    expect(result.stdout).toMatch(
      /triage\s+\d+\.\d s\s+first fault → operator mark "triaged: relay cannot reach Kafka"/,
    );
    expect(result.stderr).toMatch(/gameday \+\s+\d+\.\d s\s+signal\s+outbox-backlog-ages/);

    const journal = JSON.parse(fs.readFileSync(latest('journal.json'), 'utf8'));
    expect(journal.schema).toBe('cpqchaos.gameday/v1');
    expect(journal.scorecard.passed).toBe(true);
    expect(journal.drill.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['steady-state', 'fault-start', 'signal', 'fault-stop', 'recovered', 'mark', 'action']),
    );
    expect(journal.drill.samples.length).toBeGreaterThan(15);
    const marks = journal.drill.timeline.filter((e: { kind: string }) => e.kind === 'mark');
    expect(marks.map((m: { name: string }) => m.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^control: restarted relay \(pid \d+ → \d+/)]),
    );
    const judged = journal.drill.samples.map(
      (s: { values: Record<string, number> }) => s.values['no-invariant-broken'],
    );
    expect(judged.filter((v: unknown) => v === 0).length).toBeGreaterThan(15);
    for (const checker of journal.checkers) expect(checker.opportunities, checker.name).toBeGreaterThan(0);
    expect(fs.readFileSync(latest('junit.xml'), 'utf8')).toMatch(/name="scorecard: detection"/);
    expect(fs.readFileSync(latest('summary.md'), 'utf8')).toMatch(/### Game day: Kafka unavailable — passed/);
    expect(fs.readFileSync(latest('index.html'), 'utf8')).toMatch(/<svg class="drill-timeline"/);
    expect(fs.existsSync(liveFile)).toBe(false);

    // analyze re-scores the stored drill to the same verdict.
    const analyzed = await runCli(['analyze', latest('')], cwd, env);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    expect(fs.readFileSync(latest('summary.md'), 'utf8')).toMatch(/### Game day: Kafka unavailable — passed/);
  }, 400_000);

  const bugs: [string, string, RegExp][] = [
    ['relay-crash-after-publish', 'relay-marks-before-publish', /after recovery: no-lost-events violated/],
    ['billing-double-processing', 'consumer-no-dedupe', /after recovery: effects-exactly-once violated/],
  ];
  for (const [plan, bug, why] of bugs)
    it(`${plan} with --bugs ${bug}: fails on consistency after recovery`, async () => {
      const result = await runCli(['gameday', plan, '--speed', '2', '--seed', '1', '--bugs', bug], cwd, env);
      const output = `${result.stdout}\n${result.stderr}`;
      expect(result.code, output).toBe(1);
      expect(result.stdout).toMatch(/: FAILED/);
      expect(result.stdout).toMatch(/✗ consistency after recovery/);
      expect(result.stdout).toMatch(why);
      expect(output).toContain(`npx cpqchaos gameday ${plan} --seed 1 --speed 2 --bugs ${bug}`);
      expect(fs.existsSync(liveFile)).toBe(false);
      if (plan === 'relay-crash-after-publish') {
        const journal = JSON.parse(fs.readFileSync(latest('journal.json'), 'utf8'));
        expect(journal.drill.actions).toEqual(
          expect.arrayContaining([expect.objectContaining({ name: 'restart-relay', exitCode: 0 })]),
        );
      }
    }, 400_000);
});

// Unit (the real binary, no services): bad input to list/run/gate/analyze/replay/explore/load/gameday exits 64 with one
// clear line and starts nothing (no run directory, no environment); `list` prints the catalog; and
// `analyze` re-checks a stored history, reporting a malformed line by number and skipping it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../scenarios/index.ts';
import { runCli } from '../env/testing/clients.ts';
import { writeJson } from '../report/run-dir.ts';
import { sampleRun } from '../report/testing/sample-run.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-usage-'));
/** A built-in plan with one mistake, outside the test's working directory. */
const BAD_PLAN = path.join(tmp(), 'bad-plan.yaml');
const badPlan = fs
  .readFileSync(path.resolve('scenarios/gamedays/kafka-unavailable.yaml'), 'utf8')
  .replace(
    'metric: cpq_outbox_oldest_age_seconds,\n      aggregate: max,\n      above: 5',
    'metric: cpq_queue_depth, above: 5',
  )
  .replace(/script: actions\//g, `script: ${path.resolve('scenarios/gamedays/actions')}/`);
if (!badPlan.includes('cpq_queue_depth')) throw new Error('the bad plan lost its mistake: update the replacement');
fs.writeFileSync(BAD_PLAN, badPlan);

describe('cpqchaos run/gate/analyze/replay: bad input', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown scenario', ['run', 'no-such-scenario'], /unknown scenario no-such-scenario.*known: stale-price-submit/],
    ['no scenario', ['run'], /run needs at least one scenario/],
    ['bad seed', ['run', 'redis-outage', '--seed', 'abc'], /--seed must be a whole number/],
    [
      'zero time limit',
      ['run', 'redis-outage', '--time-limit', '0'],
      /--time-limit must be a duration of whole seconds from 1 s to 3600 s/,
    ],
    ['bad concurrency', ['run', 'redis-outage', '--concurrency', '1e3'], /--concurrency must be a whole number/],
    ['unknown bug', ['gate', '--bugs', 'no-such-bug'], /unknown planted bug no-such-bug/],
    ['unknown flag', ['gate', '--fast'], /gate: Unknown option '--fast'/],
    ['analyze without a dir', ['analyze'], /analyze needs exactly one run directory/],
    ['analyze a non-run dir', ['analyze', os.tmpdir()], /is not a run directory/],
    ['replay a non-run dir', ['replay', '/nonexistent'], /is not a run directory/],
    ['explore --path without --seed', ['explore', '--path', '3:1'], /--path needs --seed/],
    ['explore with a seed that is not a number', ['explore', '--seed', 'x1'], /--seed must be a whole number/],
    ['explore --runs 0', ['explore', '--runs', '0'], /--runs must be a whole number from 1 to 10000/],
    [
      'explore with an unknown family',
      ['explore', '--family', 'kafka'],
      /--family must be one of cache, messaging, input, all/,
    ],
    ['explore with a malformed path', ['explore', '--seed', '1', '--path', 'a:b'], /--path must look like 3:1:0:2/],
    [
      'explore with a path off the sequence',
      ['explore', '--seed', '1', '--path', '3:999:999:999'],
      /--path 3:999:999:999 does not fit seed 1's sequence/,
    ],
    ['load without a profile', ['load'], /load needs a profile/],
    ['load with an unknown profile', ['load', 'stress'], /unknown profile 'stress'.*profiles: smoke, load/],
    ['load --vus 0', ['load', 'smoke', '--vus', '0'], /--vus must be a whole number from 1 to 20000/],
    ['load with a malformed duration', ['load', 'smoke', '--duration', 'soon'], /--duration must be a duration/],
    ['load with a malformed rate', ['load', 'breakpoint', '--rate', '5/s'], /--rate must be a whole number/],
    ['load with an unknown fault', ['load', 'smoke', '--faults', 'meteor'], /unknown fault 'meteor'.*redis-restart/],
    ['gameday without a plan', ['gameday'], /gameday needs exactly one plan.*kafka-unavailable/],
    [
      'gameday with no such plan',
      ['gameday', 'meteor-strike'],
      /no plan file meteor-strike — give a path, or a built-in drill: billing-double-processing/,
    ],
    ['gameday --speed 0', ['gameday', 'kafka-unavailable', '--speed', '0'], /--speed must be a number from 0.1 to 100/],
    ['gameday with an unknown bug', ['gameday', 'redis-outage', '--bugs', 'nope'], /unknown planted bug nope/],
    ['gameday mark with no game day running', ['gameday', 'mark', 'triaged: relay'], /no game day is running here/],
    ['gameday mark without text', ['gameday', 'mark'], /gameday mark takes one text argument/],
    [
      'gameday with a malformed plan',
      ['gameday', BAD_PLAN],
      /bad-plan\.yaml: signals\[0\]\.metric: the system does not export 'cpq_queue_depth'/,
    ],
  ];
  it('load with a k6 that does not start → 255 with one line, nothing started', async () => {
    const cwd = tmp();
    const result = await runCli(['load', 'smoke'], cwd, {
      CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs'),
      CPQCHAOS_K6_BINARY: '/nonexistent/k6',
    });
    expect(result.code, result.stderr).toBe(255);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/k6 at \/nonexistent\/k6 does not start/);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
  for (const [name, args, message] of cases) {
    it(`${name} → 64, nothing started`, async () => {
      const cwd = tmp();
      const result = await runCli(args, cwd, { CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') });
      expect(result.code, result.stderr).toBe(64);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(fs.readdirSync(cwd)).toEqual([]); // no reports/, no .cpqchaos/, no environment
    });
  }
});

describe('cpqchaos gameday --dry-run', () => {
  it('prints what every built-in drill would do and starts nothing', async () => {
    const plans = fs.readdirSync(path.resolve('scenarios/gamedays')).filter((f) => f.endsWith('.yaml'));
    expect(plans).toHaveLength(7);
    for (const plan of plans) {
      const cwd = tmp();
      const result = await runCli(['gameday', plan.replace('.yaml', ''), '--dry-run', '--speed', '2'], cwd);
      expect(result.code, `${plan}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/^dry run: .* at speed 2 — nothing is started/);
      expect(result.stdout).toMatch(/1\. baseline 5 s; the steady state must hold/);
      expect(result.stdout).toMatch(/expected signals \(detection, from the first fault\):\n {5}\S+: /);
      expect(result.stdout).toMatch(/4\. consistency after recovery: \S+/);
      expect(fs.readdirSync(cwd)).toEqual([]);
    }
  }, 60_000);
});

describe('cpqchaos list', () => {
  it('prints every scenario with family, tags, faults and checkers', async () => {
    const result = await runCli(['list', '--json'], tmp());
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { name: string; tags: string[]; checkers: string[]; purpose: string }[];
    expect(rows.map((r) => r.name)).toEqual(SCENARIOS.map((s) => s.name));
    expect(rows.every((r) => r.tags.length > 0 && r.checkers.length > 0 && r.purpose.length > 10)).toBe(true);
    expect(rows.filter((r) => r.tags.includes('gate')).length).toBeGreaterThanOrEqual(11);
  });
});

describe('cpqchaos analyze', () => {
  it('re-checks a stored history, reports a malformed line by number, skips it, and exits by verdict', async () => {
    const dir = tmp();
    const { outcome, history } = sampleRun(dir);
    writeJson(path.join(dir, 'run.json'), {
      runId: outcome.runId,
      command: 'run',
      scenarios: outcome.scenarios.map((s) => s.name),
      seed: 42,
      bugs: outcome.bugs,
      startedAt: outcome.startedAt,
    });
    writeJson(path.join(dir, 'final-state.json'), { 'stale-price-submit': {}, 'tenant-collision': {} });
    const lines = history.map((op) => JSON.stringify(op));
    lines.splice(3, 0, '{"index": 3, "time": "soon"'); // line 4: broken
    fs.writeFileSync(path.join(dir, 'history.jsonl'), `${lines.join('\n')}\n`);

    const result = await runCli(['analyze', dir], tmp());
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/history\.jsonl:4: skipped: invalid JSON/);
    expect(result.stdout).toMatch(/analyze: FAIL/);
    expect(result.stdout).toMatch(/stale-submit ×1/);
    const results = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
    expect(results.historyProblems).toEqual([{ line: 4, message: expect.stringMatching(/invalid JSON/) }]);
    for (const file of ['summary.json', 'junit.xml', 'summary.md', 'index.html'])
      expect(fs.existsSync(path.join(dir, file))).toBe(true);
  });
});

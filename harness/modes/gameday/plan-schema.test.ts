// Unit: drill plans — every built-in plan reads; each kind of mistake is a usage error naming the
// file, the field and why; speeds scale the plan's times; unexported runbook metrics are found.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { faultCatalog } from '../../faults/catalog.ts';
import { referenceSystem } from '../../system/reference-system.ts';
import { parsePlan, readPlan } from './plan-read.ts';
import { atSpeed, unexportedMetrics } from './plan-types.ts';

const DIR = path.resolve('scenarios/gamedays');
const RULES = { faults: [...faultCatalog().keys()], metrics: referenceSystem.metrics };
const FILE = path.join(DIR, 'test-plan.yaml');
const BASE = fs.readFileSync(path.join(DIR, 'kafka-unavailable.yaml'), 'utf8');

/** The kafka plan with one line replaced (`from` must occur in it). */
function variant(from: string, to: string): string {
  expect(BASE).toContain(from);
  return BASE.replace(from, to);
}

function errorOf(text: string): string {
  try {
    parsePlan(text, FILE, RULES);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('the plan was accepted');
}

describe('drill plans', () => {
  it('read every built-in plan, with its method, signals and runbook', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBe(7);
    for (const file of files) {
      const plan = readPlan(path.join(DIR, file), RULES);
      expect(plan.name).toBe(file.replace('.yaml', ''));
      expect(plan.method.length).toBeGreaterThan(0);
      expect(plan.signals.length).toBeGreaterThan(0);
      expect(plan.runbook.safeActions.length).toBeGreaterThan(0);
    }
    const kafka = readPlan(path.join(DIR, 'kafka-unavailable.yaml'), RULES);
    expect(kafka.method).toEqual([{ fault: 'kafka-outage', atMs: 0, forMs: 40_000 }]);
    expect(kafka.signals[0]).toMatchObject({ name: 'outbox-backlog-ages', above: 5, withinMs: 20_000 });
    expect(kafka.steadyState[1]).toEqual({ name: 'no-invariant-broken', kind: 'checkers', below: 1 });
    expect(kafka.actions).toEqual([{ run: 'run-reconcile', when: { on: 'recovered' } }]);
  });

  it('name the file, the field and why for each mistake', () => {
    const cases: [string, RegExp][] = [
      [variant('version: 1', 'version: 2'), /version: this harness reads plan version 1/],
      [variant('baseline: 10s', 'baseline: 10s\ncolour: red'), /: colour: unknown field \(known: version, name/],
      [variant('fault: kafka-outage', 'fault: kafka-flood'), /method\[0\]\.fault: unknown fault 'kafka-flood'/],
      [variant('for: 40s', 'for: forty'), /method\[0\]\.for: must be a duration/],
      [variant('for: 40s', 'for: 200ms'), /method\[0\]\.for: a fault must last at least 1s/],
      [
        variant(
          'metric: cpq_outbox_oldest_age_seconds,\n      aggregate: max,\n      above: 5',
          'metric: cpq_queue_depth, above: 5',
        ),
        /signals\[0\]\.metric: the system does not export 'cpq_queue_depth'/,
      ],
      [
        variant('kind: health, below: 1', 'kind: health, below: 1, above: 0'),
        /steadyState\[0\]\.above: give exactly one of above or below/,
      ],
      [variant('name: api-healthy', 'name: _backlog'), /steadyState\[0\]\.name: must be lower-case letters/],
      [
        variant('kind: checkers, below: 1', 'kind: checkers, findings: [x], below: 1'),
        /steadyState\[1\]\.findings: only a reconcile probe takes findings/,
      ],
      [
        variant('kind: health, below: 1', 'kind: vibes, below: 1'),
        /steadyState\[0\]\.kind: unknown probe kind 'vibes'/,
      ],
      [
        variant('{ run: run-reconcile, when: recovered }', '{ run: restart-everything, when: recovered }'),
        /actions\[0\]\.run: 'restart-everything' is not an action of the runbook/,
      ],
      [variant('when: recovered }', "when: 'signal:nope' }"), /actions\[0\]\.when: no signal named 'nope'/],
      [
        variant('script: actions/run-reconcile.mjs', 'script: actions/missing.mjs'),
        /runbook\.safeActions\[0\]\.script: no such file beside the plan/,
      ],
      [variant('title: Kafka unavailable', 'title: [1, 2]'), /title: must be a non-empty string/],
      [variant('checkers: [messaging]', 'checkers: [billing]'), /checkers\[0\]: unknown family 'billing'/],
      [variant('version: 1\n', ''), /: version: is required/],
      [variant('workers: 3', 'workers: 100'), /traffic\.workers: must be a number from 1 to 64/],
      [variant('workers: 3', "workers: 'three'"), /traffic\.workers: must be a number from 1 to 64/],
      [variant('  within: 30s\n', '  within: 30s\n  by: ops\n'), /recovery\.by: unknown field \(known: within\)/],
      [variant('at: 0s', 'at: soon'), /method\[0\]\.at: must be a duration/],
      ['name: [unclosed', /not valid YAML or JSON/],
      ['- a list', /a plan must be a mapping/],
    ];
    for (const [text, why] of cases) {
      const message = errorOf(text);
      expect(message).toContain(FILE);
      expect(message).toMatch(why);
    }
  });

  it('report every problem of a plan at once, one line each', () => {
    const message = errorOf(variant('version: 1', 'version: 2').replace('for: 40s', 'for: 1ms'));
    expect(message.split('\n')).toEqual([
      `${FILE}: version: this harness reads plan version 1`,
      `${FILE}: method[0].for: a fault must last at least 1s`,
    ]);
  });

  it('read runbook lists that mix plain steps with steps naming metrics, and unsafe actions with and without scripts', () => {
    const plan = parsePlan(
      variant('  verification:\n', '  verification:\n    - a plain step first\n').replace(
        '  unsafeActions:\n',
        '  unsafeActions:\n    - { name: purge, script: actions/run-reconcile.mjs }\n',
      ),
      path.join(DIR, 'kafka-unavailable.yaml'),
      RULES,
    );
    expect(plan.runbook.verification[0]).toEqual({ step: 'a plain step first' });
    expect(plan.runbook.verification[1]).toMatchObject({ metrics: ['cpq_outbox_backlog'] });
    expect(plan.runbook.unsafeActions[0]).toEqual({ name: 'purge', script: 'actions/run-reconcile.mjs' });
    expect(plan.runbook.unsafeActions[1]).toEqual({ name: 'marking outbox rows published by hand' });
  });

  it('read a plan written as JSON too', () => {
    const plan = readPlan(path.join(DIR, 'redis-outage.yaml'), RULES);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-json-'));
    fs.mkdirSync(path.join(dir, 'actions'));
    fs.copyFileSync(path.join(DIR, 'actions/run-reconcile.mjs'), path.join(dir, 'actions/run-reconcile.mjs'));
    const json = {
      version: 1,
      name: plan.name,
      title: plan.title,
      summary: plan.summary,
      roles: plan.roles,
      checkers: plan.checkers,
      steadyState: [{ name: 'up', kind: 'health', below: 1 }],
      method: [{ fault: 'redis-outage', at: '0s', for: '5s' }],
      signals: [{ name: 'errs', kind: 'error-rate', above: 0, within: '5s' }],
      recovery: { within: '10s' },
      runbook: {
        ...plan.runbook,
        safeActions: [{ name: 'run-reconcile', script: 'actions/run-reconcile.mjs' }],
        unsafeActions: [],
      },
    };
    fs.writeFileSync(path.join(dir, 'p.json'), JSON.stringify(json));
    expect(readPlan(path.join(dir, 'p.json'), RULES).method[0]).toEqual({
      fault: 'redis-outage',
      atMs: 0,
      forMs: 5000,
    });
    fs.rmSync(dir, { recursive: true });
  });

  it('scale times with the speed, and find runbook steps naming metrics the system does not export', () => {
    const plan = readPlan(path.join(DIR, 'postgres-lock-contention.yaml'), RULES);
    const fast = atSpeed(plan, 3);
    expect(fast.method[0]).toMatchObject({ atMs: 0, forMs: 5000 });
    expect(fast.recoveryWithinMs).toBe(10_000);
    expect(fast.signals[0]?.withinMs).toBe(Math.round(10_000 / 3));
    expect(unexportedMetrics(plan, RULES.metrics)).toEqual([
      { step: 'Sessions waiting on locks', metric: 'pg_locks_waiting' },
    ]);
    expect(unexportedMetrics(readPlan(path.join(DIR, 'kafka-unavailable.yaml'), RULES), RULES.metrics)).toEqual([]);
  });
});

// Unit: the conductor on fake ticks and actions (no services) — the steady state checked first (no
// fault injected when it fails), faults started and healed in order, a signal fired once with its
// action run once, a stop condition that heals at once, recovery after two steady ticks in a row,
// operator marks read onto the timeline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../faults/fault.ts';
import { conduct, type ConductorDeps } from './conductor.ts';
import type { GamedayPlan } from './plan-types.ts';
import type { Tick } from './probes.ts';

const plan = (over: Partial<GamedayPlan> = {}): GamedayPlan => ({
  version: 1,
  name: 'fake',
  title: 'Fake drill',
  summary: '',
  roles: [],
  checkers: ['cache'],
  traffic: { workers: 1, converters: 0, publishEveryMs: 1000 },
  steadyState: [{ name: 'healthy', kind: 'health', below: 1 }],
  method: [{ fault: 'f', atMs: 0, forMs: 100 }],
  signals: [{ name: 'stale', kind: 'reconcile', above: 0, withinMs: 1000 }],
  stopConditions: [],
  recoveryWithinMs: 1000,
  baselineMs: 60,
  runbook: {
    symptom: '',
    severity: '',
    firstFiveMinutes: [],
    diagnosis: [],
    safeActions: [{ name: 'fix', script: 'x.mjs' }],
    unsafeActions: [],
    verification: [],
    escalation: '',
    evidence: [],
    prevention: [],
  },
  actions: [{ run: 'fix', when: { on: 'signal', signal: 'stale' } }],
  file: '/x/plan.yaml',
  ...over,
});

/** A fake system: unhealthy while `sick()`, reconcile findings while the fault is on. */
function deps(p: GamedayPlan, sick: (faultOn: boolean, healedTicks: number) => boolean) {
  const marks = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-')), 'marks.jsonl');
  fs.writeFileSync(marks, '');
  let on = false;
  let healedTicks = -1;
  const injected: string[] = [];
  const actions: string[] = [];
  const fault: Fault = { name: 'f', target: 't', invoke: async () => ({}) };
  const d: ConductorDeps = {
    plan: p,
    speed: 1,
    faults: [fault],
    inject: async (_f, action) => {
      injected.push(action);
      on = action === 'start';
      if (!on) healedTicks = 0;
    },
    read: async (atMs): Promise<Tick> => {
      if (healedTicks >= 0) healedTicks++;
      return {
        atMs,
        metrics: new Map(),
        unhealthy: sick(on, healedTicks) ? 1 : 0,
        findings: on ? ['x'] : [],
        failedRequests: on ? 5 : 0,
      };
    },
    live: {
      pid: process.pid,
      plan: 'fake',
      runDir: '',
      marks,
      apiUrls: [],
      tenants: [],
      postgresUrl: '',
      redisUrl: '',
      control: '',
    },
    runAction: async (name, atMs) => {
      actions.push(name);
      return { name, atMs, exitCode: 0, output: '', unsafe: false };
    },
    historyOffsetMs: () => 0,
    signal: new AbortController().signal,
    say: () => undefined,
    status: () => undefined,
    tickMs: 20,
  };
  return { d, injected, actions, marks };
}

describe('the conductor', () => {
  it('runs baseline, method, signal with its action once, heal and recovery after two steady ticks', async () => {
    const { d, injected, actions, marks } = deps(plan(), (on, healed) => on || (healed >= 0 && healed < 3));
    fs.appendFileSync(marks, `${JSON.stringify({ at: Date.now() + 80, text: 'triaged: fake', by: 'operator' })}\n`);
    const obs = await conduct(d);
    expect(obs.steadyBefore).toBe(true);
    expect(injected).toEqual(['start', 'stop']);
    expect(actions).toEqual(['fix']);
    expect(obs.timeline.filter((e) => e.kind === 'signal').map((e) => e.name)).toEqual(['stale']);
    expect(obs.timeline.filter((e) => e.kind === 'action')).toHaveLength(2); // started, then its exit
    expect(obs.timeline.some((e) => e.kind === 'mark' && e.name === 'triaged: fake')).toBe(true);
    expect(obs.faultStartMs).toBeGreaterThanOrEqual(60);
    expect(obs.recoveredMs).toBeGreaterThan(obs.healMs as number);
    const kinds = obs.timeline.map((e) => e.kind);
    expect(kinds.indexOf('fault-start')).toBeLessThan(kinds.indexOf('fault-stop'));
    expect(kinds.indexOf('fault-stop')).toBeLessThan(kinds.indexOf('recovered'));
  });

  it('injects nothing when the steady state does not hold first', async () => {
    const { d, injected } = deps(plan(), () => true);
    const obs = await conduct(d);
    expect(obs.steadyBefore).toBe(false);
    expect(obs.unsteady).toEqual(['healthy = 1']);
    expect(injected).toEqual([]);
    expect(obs.faultStartMs).toBeUndefined();
  });

  it('heals at once when a stop condition trips, and times recovery from that heal', async () => {
    const p = plan({
      method: [{ fault: 'f', atMs: 0, forMs: 60_000 }],
      stopConditions: [{ name: 'failing', kind: 'failed-requests', above: 3 }],
    });
    const { d, injected } = deps(p, () => false);
    const obs = await conduct(d);
    // Healed within a tenth of the fault's planned 60 s, on the conductor's own clock.
    expect((obs.healMs ?? Infinity) - (obs.faultStartMs ?? 0)).toBeLessThan(6000);
    expect(obs.stoppedBy).toBe('failing');
    expect(injected).toEqual(['start', 'stop']);
    expect(obs.recoveredMs).toBeDefined();
  });

  it('gives up on recovery past its limit and says so', async () => {
    const { d } = deps(plan({ recoveryWithinMs: 50 }), (on, healed) => on || healed >= 0);
    // Recovery is watched to its bound + 30 s: shorten the wait by aborting once healed.
    const controller = new AbortController();
    d.signal = controller.signal;
    const inject = d.inject;
    d.inject = async (f, action) => {
      await inject(f, action);
      if (action === 'stop') setTimeout(() => controller.abort(), 200);
    };
    const obs = await conduct(d);
    expect(obs.recoveredMs).toBeUndefined();
    expect(obs.timeline.some((e) => e.name === 'not recovered')).toBe(true);
  });
});

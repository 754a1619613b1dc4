// Unit: the scorecard on hand-written drills — a drill that passes (each time measured, the rest
// "not measured" with why), one whose signal never fired, one that recovered too late, one with
// inconsistencies after recovery, one a stop condition aborted, ambiguous (`info`) requests counted
// as impact, and operator marks and unsafe actions read from the timeline.
import { describe, expect, it } from 'vitest';
import type { DrillObservation } from '../../core/gameday.ts';
import type { Op } from '../../core/op.ts';
import type { CheckerOutcome, ScenarioOutcome } from '../../core/outcome.ts';
import { IMPACT, scoreDrill, withScorecard } from './scorecard.ts';

function drill(over: Partial<DrillObservation> = {}): DrillObservation {
  return {
    plan: 'kafka-unavailable',
    title: 'Kafka unavailable',
    speed: 1,
    startedAt: 0,
    historyOffsetMs: 1000,
    timeline: [
      { atMs: 0, kind: 'phase', name: 'baseline' },
      { atMs: 10_000, kind: 'fault-start', name: 'kafka-outage' },
      { atMs: 16_000, kind: 'signal', name: 'backlog' },
      { atMs: 50_000, kind: 'fault-stop', name: 'kafka-outage' },
      { atMs: 53_000, kind: 'recovered', name: 'steady state holds again' },
    ],
    samples: [10_000, 20_000, 30_000, 40_000, 50_000, 53_000].map((atMs, i) => ({
      atMs,
      values: { [IMPACT.failed]: 0, [IMPACT.backlog]: [0, 100, 300, 500, 200, 0][i] as number, [IMPACT.oldest]: i },
    })),
    steadyBefore: true,
    unsteady: [],
    faultStartMs: 10_000,
    healMs: 50_000,
    recoveredMs: 53_000,
    recoveryBoundMs: 30_000,
    actions: [],
    expected: [{ name: 'backlog', withinMs: 20_000 }],
    unexportedMetrics: [],
    reconcileAfter: {},
    ...over,
  };
}

const valid = (name: string): CheckerOutcome => ({ name, valid: true, opportunities: 5, anomalies: [], stats: {} });
const measure = (card: ReturnType<typeof scoreDrill>, name: string) => card.measures.find((m) => m.name === name);

/** A request of worker `process` at `ms` on the history's clock, completed `type` (status for a fail). */
function request(index: number, process: number, ms: number, type: Op['type'], status?: number, tenant = 't0'): Op[] {
  return [
    { index, time: ms * 1e6, process, type: 'invoke', f: 'submit', value: { tenant } },
    { index: index + 1, time: (ms + 5) * 1e6, process, type, f: 'submit', value: status ? { status } : {} },
  ];
}

describe('the scorecard', () => {
  it('passes a drill that detected, recovered in time and is consistent; says why the rest is not measured', () => {
    const card = scoreDrill(drill(), [], [valid('no-lost-events')]);
    expect(card.passed).toBe(true);
    expect(measure(card, 'detection')).toMatchObject({ value: 6000, failed: false });
    expect(measure(card, 'recovery')).toMatchObject({ value: 3000, failed: false });
    // The backlog last grew at 40 s: contained 30 s after the fault began.
    expect(measure(card, 'containment')).toMatchObject({ value: 30_000 });
    expect(measure(card, 'consistency after recovery')).toMatchObject({ value: 0, failed: false });
    expect(measure(card, 'triage')?.value).toBeUndefined();
    expect(measure(card, 'triage')?.note).toMatch(/not measured: no operator mark starting "triage"/);
    expect(card.impact).toEqual({ failedRequests: 0, tenantsAffected: 0, eventsDelayed: 500, longestDelayMs: 5000 });
  });

  it('count as containment only impact above what normal traffic reached before the fault', () => {
    const breathing = [5, 3, 2, 4, 1, 5, 0].map((backlog, i) => ({
      atMs: i * 10_000,
      values: { [IMPACT.failed]: i < 3 ? 0 : 2, [IMPACT.backlog]: backlog },
    }));
    // The backlog rises again at 30 s and 50 s but never above its pre-fault 5; failed requests grew at 30 s.
    expect(measure(scoreDrill(drill({ samples: breathing }), [], []), 'containment')).toMatchObject({ value: 20_000 });
  });

  it('fails a drill whose expected signal never fired, or fired after its bound, and lists the gap', () => {
    const never = scoreDrill(drill({ timeline: drill().timeline.filter((e) => e.kind !== 'signal') }), [], []);
    expect(never.passed).toBe(false);
    expect(never.gaps).toContain("expected signal 'backlog' never fired");
    expect(measure(never, 'detection')).toMatchObject({ failed: true });
    const late = scoreDrill(drill({ expected: [{ name: 'backlog', withinMs: 5000 }] }), [], []);
    expect(late.failures).toEqual(["signal 'backlog' fired 6.0 s after the fault (bound 5 s)"]);
  });

  it('fails a drill that recovered too late or never', () => {
    expect(scoreDrill(drill({ recoveryBoundMs: 2000 }), [], []).failures).toEqual(['recovery took 3.0 s (bound 2 s)']);
    const never = scoreDrill(drill({ recoveredMs: undefined }), [], []);
    expect(never.failures).toEqual(['the steady state never held again after the heal']);
    expect(measure(never, 'recovery')?.note).toMatch(/not recovered/);
  });

  it('fails on any checker violated or reconcile finding after recovery; an undecided checker is named', () => {
    const card = scoreDrill(
      drill({ reconcileAfter: { 'order-missing-billing': 3 } }),
      [],
      [
        { ...valid('no-lost-events'), valid: false },
        { ...valid('effects-exactly-once'), valid: 'unknown' },
        valid('idempotent-replay'),
      ],
    );
    expect(card.passed).toBe(false);
    expect(card.failures).toEqual([
      'after recovery: no-lost-events violated',
      'after recovery: reconcile found 3 × order-missing-billing',
    ]);
    expect(measure(card, 'consistency after recovery')).toMatchObject({ value: 4, failed: true });
    expect(measure(card, 'consistency after recovery')?.note).toMatch(
      /1 of 3 checkers valid \(effects-exactly-once could not decide\)/,
    );
  });

  it('fails a drill a stop condition aborted, and one whose steady state did not hold first', () => {
    expect(scoreDrill(drill({ stoppedBy: 'commands-failing' }), [], []).failures).toContain(
      "stop condition 'commands-failing' tripped: the method was aborted and healed",
    );
    const unsteady = scoreDrill(
      drill({
        steadyBefore: false,
        unsteady: ['api-healthy = 1'],
        faultStartMs: undefined,
        healMs: undefined,
        recoveredMs: undefined,
        timeline: [],
      }),
      [],
      [],
    );
    expect(unsteady.failures[0]).toBe('the steady state did not hold before the method: api-healthy = 1');
  });

  it('count requests with no answer (info) or a 5xx from the first fault on as impact, never 4xx or earlier ones', () => {
    const ops = [
      ...request(0, 1, 5_000, 'info'), // before the fault (1 s offset + 10 s): not counted
      ...request(2, 1, 12_000, 'info', undefined, 't0'),
      ...request(4, 2, 13_000, 'fail', 503, 't1'),
      ...request(6, 3, 14_000, 'fail', 409, 't1'),
      ...request(8, 4, 15_000, 'ok', undefined, 't1'),
    ];
    expect(scoreDrill(drill(), ops, []).impact).toMatchObject({ failedRequests: 2, tenantsAffected: 2 });
  });

  it('read triage and impact clarity from operator marks, and list unsafe and failed actions as gaps', () => {
    const card = scoreDrill(
      drill({
        timeline: [
          ...drill().timeline,
          { atMs: 25_000, kind: 'mark', name: 'Triaged: relay cannot reach Kafka', by: 'operator' },
          { atMs: 31_000, kind: 'mark', name: 'impact: confirmations late, none lost', by: 'operator' },
        ],
        actions: [
          { name: 'delete-outbox-rows', atMs: 40_000, exitCode: 0, output: '', unsafe: true },
          { name: 'run-reconcile', atMs: 55_000, exitCode: 1, output: '3 findings', unsafe: false },
        ],
        unexportedMetrics: [{ step: 'locks', metric: 'pg_locks_waiting' }],
      }),
      [],
      [],
    );
    expect(measure(card, 'triage')).toMatchObject({ value: 15_000 });
    expect(measure(card, 'customer-impact clarity')).toMatchObject({ value: 21_000 });
    expect(card.gaps).toEqual([
      'runbook step "locks" names pg_locks_waiting, which the system does not export',
      "recovery needed 'delete-outbox-rows', an action the runbook lists as unsafe",
      "action 'run-reconcile' failed (exit 1)",
    ]);
    expect(card.passed).toBe(true);
  });

  it('keep a proven violation when the steady state did not hold first (else the drill could not decide)', () => {
    const outcome = (valid: ScenarioOutcome['valid']): ScenarioOutcome => ({
      name: 'gameday-kafka-unavailable',
      valid,
      seed: 1,
      durationMs: 1,
      ops: { invoke: 0, ok: 0, fail: 0, info: 0 },
      faults: [],
      checkers: [],
      replay: '',
    });
    const unsteady = drill({ steadyBefore: false, unsteady: ['no-invariant-broken'] });
    expect(withScorecard(outcome(false), unsteady, []).valid).toBe(false);
    expect(withScorecard(outcome(true), unsteady, []).valid).toBe('unknown');
    expect(withScorecard(outcome(true), drill(), []).valid).toBe(true);
  });
});

/**
 * The scorecard of a drill, from what it recorded (a pure function, so `analyze` re-scores a stored
 * drill): detection (first fault → first expected signal), triage and customer-impact clarity
 * (operator marks), containment (→ business impact stops growing), recovery (last heal → steady
 * state again), consistency after recovery (every checker and the reconcile endpoint), business
 * impact and runbook gaps. A drill fails when an expected signal never fires (or fires late), a
 * stop condition trips, recovery misses its bound, or anything is inconsistent after recovery.
 */
import type { CheckerOutcome, ScenarioOutcome } from '../../core/outcome.ts';
import type { DrillObservation, Measure, Scorecard } from '../../core/gameday.ts';
import { pairOps, type Op } from '../../core/op.ts';
import { systemError } from '../../core/vocabulary.ts';

/** Reserved sample names: business impact the conductor samples on every tick. */
export const IMPACT = { failed: '_failed', backlog: '_backlog', oldest: '_oldest' } as const;

const ms = (name: string, value: number | undefined, note: string, failed = false): Measure => ({
  name,
  ...(value !== undefined ? { value: Math.round(value) } : {}),
  unit: 'ms',
  note,
  failed,
});

/** The first operator mark whose text starts with `prefix` (case-insensitive), after the first fault. */
function markAfter(drill: DrillObservation, prefix: string, from: number) {
  return drill.timeline.find(
    (e) => e.kind === 'mark' && e.by === 'operator' && e.atMs >= from && e.name.toLowerCase().startsWith(prefix),
  );
}

/** A phase only an operator sees: first fault → their first mark starting `prefix`, or why not measured. */
function markMeasure(drill: DrillObservation, name: string, prefix: string, example: string): Measure {
  const start = drill.faultStartMs;
  const mark = start !== undefined ? markAfter(drill, prefix, start) : undefined;
  return mark && start !== undefined
    ? ms(name, mark.atMs - start, `first fault → operator mark "${mark.name}"`)
    : ms(name, undefined, `not measured: no operator mark starting "${prefix}" (cpqchaos gameday mark "${example}")`);
}

/**
 * The last moment a sampled impact series grew, at or after `from` and before `until` — above the
 * highest it reached before `from` (a backlog that breathes with normal traffic is not impact).
 */
function lastGrowth(drill: DrillObservation, key: string, from: number, until: number): number | undefined {
  let last: number | undefined;
  let prev: number | undefined;
  let normal = -Infinity;
  for (const s of drill.samples) {
    const v = s.values[key];
    if (v === null || v === undefined) continue;
    if (s.atMs < from) normal = Math.max(normal, v);
    else if (prev !== undefined && v > prev && v > normal && s.atMs <= until) last = s.atMs;
    prev = v;
  }
  return last;
}

function peak(drill: DrillObservation, key: string): number | undefined {
  const values = drill.samples.map((s) => s.values[key]).filter((v): v is number => typeof v === 'number');
  return values.length ? Math.max(...values) : undefined;
}

/** Scores a drill from its observation, its scenario's ops and its checkers' outcomes. */
export function scoreDrill(
  drill: DrillObservation,
  ops: readonly Op[],
  checkers: readonly CheckerOutcome[],
): Scorecard {
  const failures: string[] = [];
  const gaps: string[] = [];
  const measures: Measure[] = [];
  const start = drill.faultStartMs;
  if (!drill.steadyBefore)
    failures.push(`the steady state did not hold before the method: ${drill.unsteady.join(', ')}`);

  // Detection: each expected signal must fire within its bound; the first one fired is the detection time.
  const fired = new Map(drill.timeline.filter((e) => e.kind === 'signal').map((e) => [e.name, e.atMs]));
  let detection: number | undefined;
  for (const signal of drill.expected) {
    const at = fired.get(signal.name);
    if (at === undefined || start === undefined) {
      gaps.push(`expected signal '${signal.name}' never fired`);
      failures.push(`signal '${signal.name}' never fired (bound ${signal.withinMs / 1000} s)`);
      continue;
    }
    if (at - start > signal.withinMs)
      failures.push(
        `signal '${signal.name}' fired ${((at - start) / 1000).toFixed(1)} s after the fault (bound ${signal.withinMs / 1000} s)`,
      );
    detection = Math.min(detection ?? Infinity, at - start);
  }
  measures.push(
    drill.expected.length === 0
      ? ms('detection', undefined, 'not measured: the plan expects no signal')
      : ms(
          'detection',
          detection,
          detection === undefined ? 'not measured: no expected signal fired' : 'first fault → first expected signal',
          detection === undefined,
        ),
  );
  measures.push(markMeasure(drill, 'triage', 'triage', 'triaged: …'));

  // Containment: the last moment business impact (failed requests, the outbox backlog) still grew.
  const until = drill.recoveredMs ?? drill.timeline.at(-1)?.atMs ?? 0;
  if (start === undefined) measures.push(ms('containment', undefined, 'not measured: the method never started'));
  else {
    const grew = [IMPACT.failed, IMPACT.backlog]
      .map((k) => lastGrowth(drill, k, start, until))
      .filter((v): v is number => v !== undefined);
    measures.push(
      grew.length === 0
        ? ms('containment', 0, 'no business impact grew after the first fault')
        : ms(
            'containment',
            Math.max(...grew) - start,
            'first fault → business impact (failed requests, outbox backlog) stopped growing',
          ),
    );
  }

  // Recovery: last heal → steady state holds again, within the plan's bound.
  const recovery =
    drill.recoveredMs !== undefined && drill.healMs !== undefined ? drill.recoveredMs - drill.healMs : undefined;
  const late = recovery === undefined || recovery > drill.recoveryBoundMs;
  measures.push(
    ms(
      'recovery',
      recovery,
      recovery === undefined
        ? `not recovered: the steady state did not hold again after the heal`
        : `last heal → steady state (bound ${drill.recoveryBoundMs / 1000} s)`,
      late,
    ),
  );
  if (drill.healMs !== undefined && late)
    failures.push(
      recovery === undefined
        ? 'the steady state never held again after the heal'
        : `recovery took ${(recovery / 1000).toFixed(1)} s (bound ${drill.recoveryBoundMs / 1000} s)`,
    );

  // Consistency after recovery: every checker, and reconcile's findings.
  const violated = checkers.filter((c) => c.valid === false);
  const unknown = checkers.filter((c) => c.valid === 'unknown');
  const findings = Object.entries(drill.reconcileAfter ?? {});
  const inconsistencies = violated.length + findings.reduce((n, [, c]) => n + c, 0);
  for (const c of violated) failures.push(`after recovery: ${c.name} violated`);
  for (const [kind, count] of findings) failures.push(`after recovery: reconcile found ${count} × ${kind}`);
  measures.push({
    name: 'consistency after recovery',
    value: inconsistencies,
    unit: 'count',
    note:
      `${checkers.length - violated.length - unknown.length} of ${checkers.length} checkers valid${unknown.length ? ` (${unknown.map((c) => c.name).join(', ')} could not decide)` : ''}; ` +
      (drill.reconcileAfter === undefined
        ? 'reconcile could not be read'
        : `reconcile: ${findings.length ? findings.map(([k, c]) => `${c} × ${k}`).join(', ') : 'no findings'}`),
    failed: inconsistencies > 0,
  });
  measures.push(markMeasure(drill, 'customer-impact clarity', 'impact', 'impact: …'));

  if (drill.stoppedBy) failures.push(`stop condition '${drill.stoppedBy}' tripped: the method was aborted and healed`);
  for (const { step, metric } of drill.unexportedMetrics)
    gaps.push(`runbook step "${step}" names ${metric}, which the system does not export`);
  for (const a of drill.actions) {
    if (a.unsafe && (drill.recoveredMs === undefined || a.atMs <= drill.recoveredMs))
      gaps.push(`recovery needed '${a.name}', an action the runbook lists as unsafe`);
    if (a.exitCode !== 0) gaps.push(`action '${a.name}' failed (exit ${a.exitCode ?? 'none'})`);
  }
  measures.push({
    name: 'runbook gaps',
    value: gaps.length,
    unit: 'count',
    note: gaps.join('; ') || 'none',
    failed: false,
  });

  const from = (drill.historyOffsetMs + (start ?? 0)) * 1e6;
  const traffic = (p: Op['process']) => typeof p === 'number' || !/^(nemesis|setup|final)/.test(p);
  const failedOps = pairOps(ops.filter((op) => op.time >= from && traffic(op.process)))
    .filter((p) => systemError(p.completion))
    .map((p) => p.invoke);
  const oldest = peak(drill, IMPACT.oldest);
  const backlog = peak(drill, IMPACT.backlog);
  return {
    drill: drill.plan,
    passed: failures.length === 0,
    measures,
    impact: {
      failedRequests: failedOps.length,
      tenantsAffected: new Set(failedOps.map((op) => op.value.tenant).filter((t) => typeof t === 'string')).size,
      ...(backlog !== undefined ? { eventsDelayed: backlog } : {}),
      ...(oldest !== undefined ? { longestDelayMs: Math.round(oldest * 1000) } : {}),
    },
    gaps,
    failures,
  };
}

/**
 * A drill's scenario outcome with its scorecard: violated when a checker proved a violation or the
 * scorecard fails, unknown when the steady state did not hold before the method (nothing was
 * injected), else the checkers' verdict.
 */
export function withScorecard(outcome: ScenarioOutcome, drill: DrillObservation, ops: readonly Op[]): ScenarioOutcome {
  const scorecard = scoreDrill(drill, ops, outcome.checkers);
  const valid =
    outcome.valid === false ? false : !drill.steadyBefore ? 'unknown' : !scorecard.passed ? false : outcome.valid;
  return { ...outcome, valid, gameday: { drill, scorecard } };
}

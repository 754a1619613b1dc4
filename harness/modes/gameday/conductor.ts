/**
 * The drill's conductor, run beside the background traffic: a baseline in which the steady state
 * must hold (else the drill stops before touching anything), the method (each fault started and
 * healed at its time), a tick every second reading every probe — signals firing, stop conditions
 * (which heal everything at once), operator marks, runbook actions at their triggers — then
 * recovery: ticks until the steady state holds again (twice in a row) or well past its bound.
 */
import type { ActionRun, DrillObservation, ProbeSample, TimelineEvent } from '../../core/gameday.ts';
import type { Fault } from '../../faults/fault.ts';
import { sleep } from '../../workload/generators.ts';
import { readMarks, type LiveGameday } from './live.ts';
import type { GamedayPlan, Probe } from './plan-types.ts';
import { IMPACT } from './scorecard.ts';
import { crosses, probeValue, type Tick } from './probes.ts';

export interface ConductorDeps {
  plan: GamedayPlan;
  speed: number;
  /** One fault per method step (fresh from the catalog). */
  faults: readonly Fault[];
  inject(fault: Fault, action: 'start' | 'stop'): Promise<void>;
  /** Reads one tick (probe-reader.ts's `readTick` over the drill's sources, live). */
  read(atMs: number): Promise<Tick>;
  live: LiveGameday;
  /** Runs a runbook action (actions.ts's `runAction`, live). */
  runAction(name: string, atMs: number): Promise<ActionRun>;
  historyOffsetMs: () => number;
  signal: AbortSignal;
  /** A timeline line for the terminal. */
  say(line: string): void;
  /** The progress line's detail. */
  status(text: string): void;
  tickMs?: number;
}

const BACKLOG: Probe = {
  name: IMPACT.backlog,
  kind: 'metric',
  metric: 'cpq_outbox_backlog',
  aggregate: 'max',
  below: 0,
};
const OLDEST: Probe = {
  name: IMPACT.oldest,
  kind: 'metric',
  metric: 'cpq_outbox_oldest_age_seconds',
  aggregate: 'max',
  below: 0,
};

export async function conduct(deps: ConductorDeps): Promise<DrillObservation> {
  const { plan } = deps;
  const t0 = performance.now();
  const now = () => Math.round(performance.now() - t0);
  const tickMs = deps.tickMs ?? 1000;
  const obs: DrillObservation = {
    plan: plan.name,
    title: plan.title,
    speed: deps.speed,
    startedAt: Date.now(),
    historyOffsetMs: deps.historyOffsetMs(),
    timeline: [],
    samples: [],
    steadyBefore: false,
    unsteady: [],
    recoveryBoundMs: plan.recoveryWithinMs,
    actions: [],
    expected: plan.signals.map((s) => ({
      name: s.name,
      withinMs: s.withinMs,
      threshold: (s.above ?? s.below) as number,
    })),
    unexportedMetrics: [],
  };
  const event = (e: Omit<TimelineEvent, 'atMs'>, atMs = now()) => {
    obs.timeline.push({ atMs, ...e });
    deps.say(
      `+${(atMs / 1000).toFixed(1).padStart(6)} s  ${e.kind.padEnd(14)} ${e.name}${e.detail ? ` — ${e.detail}` : ''}`,
    );
  };
  let prev: Tick | undefined;
  let marksOffset = 0;
  let phase = 'baseline';
  const fired = new Set<string>();
  const probes = [...plan.steadyState, ...plan.signals, ...plan.stopConditions, BACKLOG, OLDEST];
  const running: Promise<void>[] = [];
  const act = (name: string) => {
    event({ kind: 'action', name, detail: 'started' });
    running.push(
      deps.runAction(name, now()).then((run: ActionRun) => {
        obs.actions.push(run);
        event({
          kind: 'action',
          name,
          detail: `exit ${run.exitCode ?? 'none'}${run.output ? `: ${run.output.split('\n').at(-1)}` : ''}`,
        });
      }),
    );
  };

  /** Reads a tick; records every probe's value and the marks written since the last one. */
  const tick = async (): Promise<Record<string, number | undefined>> => {
    const cur = await deps.read(now());
    const values = Object.fromEntries(probes.map((p) => [p.name, probeValue(p, cur, prev)]));
    values[IMPACT.failed] = cur.failedRequests;
    prev = cur;
    const sample: ProbeSample = {
      atMs: cur.atMs,
      values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v ?? null])),
    };
    obs.samples.push(sample);
    const read = readMarks(deps.live.marks, marksOffset);
    marksOffset = read.offset;
    for (const m of read.marks)
      event({ kind: 'mark', name: m.text, by: m.by }, Math.max(0, Math.round(m.at - obs.startedAt)));
    const steady = plan.steadyState.filter((p) => crosses(p, values[p.name])).length;
    deps.status(
      `${phase} · steady ${steady}/${plan.steadyState.length} · signals ${fired.size}/${plan.signals.length}`,
    );
    return values;
  };
  const steadyHolds = (values: Record<string, number | undefined>) =>
    plan.steadyState.every((p) => crosses(p, values[p.name]));
  const pause = (from: number) => sleep(Math.max(0, tickMs - (performance.now() - from)), deps.signal);

  // Baseline: traffic flows, the steady state must hold at its end.
  event({
    kind: 'phase',
    name: 'baseline',
    detail: `${plan.baselineMs / 1000} s of traffic; the steady state must hold`,
  });
  let values: Record<string, number | undefined> = {};
  for (let tries = 0; !deps.signal.aborted; tries++) {
    const from = performance.now();
    values = await tick();
    if (now() >= plan.baselineMs && (steadyHolds(values) || tries > plan.baselineMs / tickMs + 5)) break;
    await pause(from);
  }
  obs.steadyBefore = steadyHolds(values);
  obs.unsteady = plan.steadyState
    .filter((p) => !crosses(p, values[p.name]))
    .map((p) => `${p.name} = ${fmt(values[p.name])}`);
  event({
    kind: 'steady-state',
    name: obs.steadyBefore ? 'holds' : 'does not hold',
    ...(obs.unsteady.length ? { detail: obs.unsteady.join(', ') } : {}),
  });
  if (!obs.steadyBefore || deps.signal.aborted) return obs;

  // Method: the faults at their times; signals, stop conditions and actions on every tick.
  phase = 'method';
  const methodStart = now();
  type Due = { atMs: number; step: number; action: 'start' | 'stop' };
  let due: Due[] = plan.method
    .flatMap((m, step): Due[] => [
      { atMs: methodStart + m.atMs, step, action: 'start' },
      { atMs: methodStart + m.atMs + m.forMs, step, action: 'stop' },
    ])
    .sort((a, b) => a.atMs - b.atMs);
  const started = new Set<number>();
  const timed = plan.actions.filter((a) => a.when.on === 'time');
  const watchSignals = (v: Record<string, number | undefined>) => {
    for (const s of plan.signals)
      if (!fired.has(s.name) && obs.faultStartMs !== undefined && crosses(s, v[s.name])) {
        fired.add(s.name);
        event({
          kind: 'signal',
          name: s.name,
          detail: `${fmt(v[s.name])} (${s.above !== undefined ? `> ${s.above}` : `< ${s.below}`})`,
        });
        for (const a of plan.actions) if (a.when.on === 'signal' && a.when.signal === s.name) act(a.run);
      }
  };
  event({
    kind: 'phase',
    name: 'method',
    detail: plan.method.map((m) => `${m.fault} at +${m.atMs / 1000} s for ${m.forMs / 1000} s`).join('; '),
  });
  while (due.length > 0 && !deps.signal.aborted) {
    const from = performance.now();
    while (due[0] && due[0].atMs <= now()) {
      const d = due.shift() as Due;
      if (d.action === 'stop' && !started.has(d.step)) continue;
      const fault = deps.faults[d.step] as Fault;
      if (d.action === 'start') {
        obs.faultStartMs ??= now();
        started.add(d.step);
      } else {
        started.delete(d.step);
        obs.healMs = now();
      }
      event({
        kind: d.action === 'start' ? 'fault-start' : 'fault-stop',
        name: plan.method[d.step]?.fault ?? fault.name,
      });
      await deps.inject(fault, d.action);
    }
    if (due.length === 0 && started.size === 0) break;
    values = await tick();
    watchSignals(values);
    for (const a of [...timed])
      if (a.when.on === 'time' && methodStart + a.when.atMs <= now()) {
        timed.splice(timed.indexOf(a), 1);
        act(a.run);
      }
    const trip = plan.stopConditions.find((p) => crosses(p, values[p.name]));
    if (trip && !obs.stoppedBy) {
      obs.stoppedBy = trip.name;
      event({
        kind: 'stop-condition',
        name: trip.name,
        detail: `${fmt(values[trip.name])}: aborting the method and healing`,
      });
      for (const step of started) {
        event({ kind: 'fault-stop', name: plan.method[step]?.fault ?? '?' });
        await deps.inject(deps.faults[step] as Fault, 'stop');
      }
      started.clear();
      due = [];
    }
    await pause(from);
  }
  obs.healMs = now();
  event({
    kind: 'phase',
    name: 'recovery',
    detail: `every fault healed; the steady state must hold again within ${plan.recoveryWithinMs / 1000} s`,
  });
  for (const a of plan.actions) if (a.when.on === 'heal') act(a.run);

  // Recovery: the steady state twice in a row; watched to twice its bound (at least 30 s past it).
  phase = 'recovery';
  const giveUp = obs.healMs + Math.max(plan.recoveryWithinMs * 2, plan.recoveryWithinMs + 30_000);
  let firstHeld = 0;
  let streak = 0;
  while (!deps.signal.aborted && now() < giveUp) {
    const from = performance.now();
    values = await tick();
    watchSignals(values);
    if (!steadyHolds(values)) streak = 0;
    else if (++streak === 1) firstHeld = obs.samples.at(-1)?.atMs ?? now();
    if (streak >= 2) {
      obs.recoveredMs = firstHeld;
      break;
    }
    await pause(from);
  }
  if (obs.recoveredMs !== undefined) {
    event(
      {
        kind: 'recovered',
        name: 'steady state holds again',
        detail: `${((obs.recoveredMs - obs.healMs) / 1000).toFixed(1)} s after the heal`,
      },
      obs.recoveredMs,
    );
    for (const a of plan.actions) if (a.when.on === 'recovered') act(a.run);
  } else
    event({
      kind: 'phase',
      name: 'not recovered',
      detail: `the steady state did not hold again within ${((giveUp - obs.healMs) / 1000).toFixed(0)} s`,
    });
  await Promise.all(running);
  // A last tick, so marks and actions written at the very end are on the timeline.
  await tick();
  event({ kind: 'phase', name: 'end' });
  obs.timeline.sort((a, b) => a.atMs - b.atMs);
  return obs;
}

/** A probe value for a line: three significant digits. */
const fmt = (v: number | undefined) => (v === undefined ? 'unreadable' : String(Number(v.toPrecision(3))));

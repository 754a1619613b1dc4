/**
 * A game-day drill plan (`scenarios/gamedays/*.yaml`), as the harness holds it once validated
 * (plan-schema.ts): the steady-state hypothesis (probes), the method (faults on a timeline, with
 * background traffic), the signals expected to move, the stop conditions, the recovery bound, the
 * runbook in the operations guide's format, and the runbook's actions run at their steps.
 * Every duration is in ms at speed 1; `--speed F` divides them.
 */

export const PLAN_VERSION = 1;

/** What a probe measures. */
export type ProbeKind =
  /** Every API instance answers `GET /healthz` with 200 (value: instances down). */
  | 'health'
  /** A Prometheus series from every component's /metrics, summed or maxed (optionally per second). */
  | 'metric'
  /** Share of HTTP answers that are 5xx over the last interval, from `cpq_http_requests_total`. */
  | 'error-rate'
  /** p95 of `cpq_http_request_duration_seconds` over the last interval, in ms. */
  | 'latency-p95'
  /** Findings of `GET /ops/reconcile` over the drill's tenants (optionally of some kinds). */
  | 'reconcile'
  /** The drill's own traffic: requests that got no answer or a 5xx since the drill began. */
  | 'failed-requests'
  /** Anomalies found so far by the drill's checkers that can judge a history still being written. */
  | 'checkers';

export const PROBE_KINDS: readonly ProbeKind[] = [
  'health',
  'metric',
  'error-rate',
  'latency-p95',
  'reconcile',
  'failed-requests',
  'checkers',
];

/** A measurement with a bound: `above` or `below` (exactly one). */
export interface Probe {
  name: string;
  kind: ProbeKind;
  /** `metric`: the series name. */
  metric?: string;
  /** `metric`: only samples with these labels. */
  labels?: Record<string, string>;
  /** `metric`: per-second change over the last interval instead of the value. */
  rate?: boolean;
  /** `metric`: how components' values combine (default sum). */
  aggregate?: 'sum' | 'max';
  /** `error-rate`, `latency-p95`: only this route (as the system labels it). */
  route?: string;
  /** `reconcile`: only findings of these kinds. */
  findings?: string[];
  above?: number;
  below?: number;
}

/** A probe expected to cross its bound within `withinMs` of the first fault's start: detection. */
export interface Signal extends Probe {
  withinMs: number;
}

/** One fault of the method: started `atMs` after the method begins, healed `forMs` later. */
export interface MethodStep {
  fault: string;
  atMs: number;
  forMs: number;
}

/** The drill's background traffic (workers of the harness's generators). */
export interface Traffic {
  /** Workers walking quotes and reading the catalog (besides the publisher and converters). */
  workers: number;
  /** Workers converting accepted quotes under every idempotency outcome. */
  converters: number;
  /** Mean pause between publishes of catalog, price lists and policies. */
  publishEveryMs: number;
}

/** A runbook step whose verification names metrics (checked against what the system exports). */
export interface RunbookStep {
  step: string;
  metrics?: string[];
}

/** An action of the runbook: a zx script beside the plan (an unsafe one may have none). */
export interface RunbookAction {
  name: string;
  /** Path relative to the plan file. */
  script?: string;
  args?: string[];
}

/** The operations guide's runbook format. */
export interface Runbook {
  symptom: string;
  severity: string;
  firstFiveMinutes: string[];
  diagnosis: RunbookStep[];
  safeActions: RunbookAction[];
  /** Actions the runbook forbids; one the drill had to run before it recovered is a gap. */
  unsafeActions: RunbookAction[];
  verification: RunbookStep[];
  escalation: string;
  evidence: string[];
  prevention: string[];
}

/** When an action runs: after the heal, once recovered, on a signal firing, or at an offset. */
export type ActionTrigger =
  { on: 'heal' } | { on: 'recovered' } | { on: 'signal'; signal: string } | { on: 'time'; atMs: number };

export interface PlannedAction {
  /** A name of `runbook.safeActions`, or of an `unsafeActions` entry that has a script. */
  run: string;
  when: ActionTrigger;
}

export interface GamedayPlan {
  version: number;
  name: string;
  title: string;
  summary: string;
  roles: string[];
  /** Checker families judged after recovery. */
  checkers: ('cache' | 'messaging')[];
  traffic: Traffic;
  steadyState: Probe[];
  method: MethodStep[];
  signals: Signal[];
  stopConditions: Probe[];
  /** Recovery (heal → steady state holds again) must take at most this long. */
  recoveryWithinMs: number;
  /** Traffic before the method begins (the baseline). */
  baselineMs: number;
  runbook: Runbook;
  actions: PlannedAction[];
  /** Where the plan was read from (actions resolve against its folder). */
  file: string;
}

/** The metric names a probe names, for checking against what the system exports. */
export function metricsOf(probe: Probe): string[] {
  if (probe.kind === 'metric' && probe.metric) return [probe.metric];
  if (probe.kind === 'error-rate') return ['cpq_http_requests_total'];
  if (probe.kind === 'latency-p95') return ['cpq_http_request_duration_seconds'];
  return [];
}

/** The plan with every duration divided by `speed`. */
export function atSpeed(plan: GamedayPlan, speed: number): GamedayPlan {
  const s = (ms: number) => Math.max(1, Math.round(ms / speed));
  return {
    ...plan,
    method: plan.method.map((m) => ({ ...m, atMs: Math.round(m.atMs / speed), forMs: s(m.forMs) })),
    signals: plan.signals.map((g) => ({ ...g, withinMs: s(g.withinMs) })),
    recoveryWithinMs: s(plan.recoveryWithinMs),
    baselineMs: s(plan.baselineMs),
    actions: plan.actions.map((a) =>
      a.when.on === 'time' ? { ...a, when: { on: 'time', atMs: Math.round(a.when.atMs / speed) } } : a,
    ),
  };
}

/** Runbook steps (diagnosis, verification) naming metrics that are not in `exported`. */
export function unexportedMetrics(plan: GamedayPlan, exported: readonly string[]): { step: string; metric: string }[] {
  return [...plan.runbook.diagnosis, ...plan.runbook.verification].flatMap((s) =>
    (s.metrics ?? []).filter((m) => !exported.includes(m)).map((metric) => ({ step: s.step, metric })),
  );
}

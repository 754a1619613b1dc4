/**
 * What a game-day drill records and how it is scored: the timeline (phases, faults, signals,
 * stop conditions, actions, operator marks), the probes' sampled values, and the scorecard of the
 * operations guide's measures (detection, triage, containment, recovery, consistency after
 * recovery, customer-impact clarity, runbook gaps), each with its value or why it was not measured.
 * Stored in the final state, so `analyze` re-scores a drill from what was recorded.
 */

export const JOURNAL_SCHEMA = 'cpqchaos.gameday/v1';

export type TimelineKind =
  | 'phase'
  | 'fault-start'
  | 'fault-stop'
  | 'signal'
  | 'stop-condition'
  | 'steady-state'
  | 'recovered'
  | 'action'
  | 'mark';

/** One moment of the drill, in ms since the drill began (its traffic started). */
export interface TimelineEvent {
  atMs: number;
  kind: TimelineKind;
  name: string;
  detail?: string;
  /** `mark`: who added it (`operator`, `action`). */
  by?: string;
}

/** The probes' values at one tick (null: could not be read). */
export interface ProbeSample {
  atMs: number;
  values: Record<string, number | null>;
}

/** A runbook action the drill ran. */
export interface ActionRun {
  name: string;
  atMs: number;
  exitCode: number | null;
  /** The last lines it printed. */
  output: string;
  unsafe: boolean;
}

/** Everything a drill recorded, for the scorecard and the journal. */
export interface DrillObservation {
  plan: string;
  title: string;
  speed: number;
  /** Epoch ms when the drill began. */
  startedAt: number;
  /** Where the drill began on the history's clock (ms since the run started): places ops on the timeline. */
  historyOffsetMs: number;
  timeline: TimelineEvent[];
  samples: ProbeSample[];
  /** Whether the steady state held before the method began (the drill stops when it did not). */
  steadyBefore: boolean;
  /** Probes that did not hold before the method, with their values. */
  unsteady: string[];
  /** The method's first fault start and last heal (ms since the drill began). */
  faultStartMs?: number;
  healMs?: number;
  recoveredMs?: number;
  recoveryBoundMs: number;
  stoppedBy?: string;
  actions: ActionRun[];
  /** Signals the plan expects, with their detection bound (ms after the first fault start). */
  expected: { name: string; withinMs: number; threshold?: number }[];
  /** Runbook steps naming metrics the system does not export. */
  unexportedMetrics: { step: string; metric: string }[];
  /** Reconcile findings after recovery and quiesce (kinds with counts); undefined if unreadable. */
  reconcileAfter?: Record<string, number>;
}

/** One measure of the scorecard. */
export interface Measure {
  name: string;
  /** ms, a count, or undefined when not measured. */
  value?: number;
  unit: 'ms' | 'count' | 'text';
  text?: string;
  /** Why it was not measured, or what it means. */
  note: string;
  /** Whether this measure fails the drill. */
  failed: boolean;
}

export interface Scorecard {
  drill: string;
  passed: boolean;
  measures: Measure[];
  /** Business impact during the drill. */
  impact: {
    /** Requests of the drill's traffic with no answer or a 5xx, from the first fault on. */
    failedRequests: number;
    tenantsAffected: number;
    /** Peak of events waiting in the outbox (`cpq_outbox_backlog`), when it could be read. */
    eventsDelayed?: number;
    /** Peak age of the oldest waiting event, ms (`cpq_outbox_oldest_age_seconds`). */
    longestDelayMs?: number;
  };
  gaps: string[];
  /** Why the drill failed, one line each. */
  failures: string[];
}

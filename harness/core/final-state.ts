/**
 * What checkers judge besides the history, typed: a scenario's declared `parameters` (bounds and
 * budgets, fixed before the run starts and written to `run.json`, so `analyze` of a partial or old
 * run judges with the scenario's own) kept apart from the `observations` the final reads and
 * measurements add after the workload (quote rows, stampede load counts, the quiesce report).
 */

import type { DrillObservation } from './gameday.ts';

/** Bounds a scenario declares for its checkers. Every field is optional: each checker has a default. */
export interface Parameters {
  /** `bounded-staleness`: how long a read may trail an acknowledged publish (ms; default 2000). */
  stalenessBudgetMs?: number;
  /** `availability-under-cache-outage`: fault names that count as a cache outage. */
  cacheOutageFaults?: readonly string[];
  /**
   * `stampede-bound`: how long after a cache outage heals the system may still treat the cache as
   * unreachable — reconnecting, a circuit breaker still open (ms; default 0).
   */
  cacheRecoveryMs?: number;
  /** `availability-under-cache-outage`: fewer commands inside the outage than this is `unknown`. */
  minOutageCommands?: number;
  /** `availability-under-cache-outage`: the share of commands that must succeed (default 1: all). */
  minAvailability?: number;
  /**
   * `bounded-staleness`: faults the staleness budget holds through — their windows excuse no stale
   * read (e.g. `clock-skew`, or `proxy-disable:api-kafka`: an instance that lost its event feed still
   * ages its cached pointers out). By fault name, or `name:target`. Every other fault excuses reads
   * during it and for the budget after.
   */
  stalenessKeptThrough?: readonly string[];
  /**
   * `available-after-recovery`: how long after a heal the system may still fail a request while it
   * reconnects (ms; default 5000). Past it, a 5xx or an unanswered request is a violation.
   */
  recoveryBudgetMs?: number;
  /**
   * The system's retry and timeout budgets by name (e.g. `kafka-producer`: how long its producer
   * retries a send): a fault "longer than the budget" is sized from these. A scenario naming a budget
   * the system does not declare is refused before anything starts.
   */
  retryBudgetsMs?: Readonly<Record<string, number>>;
}

/** A final `quote` row, read from PostgreSQL through the direct URL (contract section 4). */
export interface FinalQuote {
  tenant_id: string;
  quote_id: string;
  state: string;
  catalog_version: number | null;
  price_list_version: number | null;
  policy_version?: number | null;
}

/** A final `customer_order` row, read from PostgreSQL through the direct URL (contract section 4). */
export interface FinalOrder {
  tenant_id: string;
  order_id: string;
  source_quote_id: string;
  source_quote_revision: number;
}

/** One stampede: source loads of one key and version, counted by the source itself. */
export interface StampedeMeasurement {
  key: string;
  version?: number;
  loads: number;
  instances: number;
  requests: number;
  okRequests?: number;
  /** Op indexes of the stampede phase (start and end), for the report. */
  ops?: number[];
}

/**
 * One event of the delivery ledger (contract section 4): its outbox row, its copies on its topic
 * (read from the beginning through the direct brokers), and per consumer that must apply it, the
 * inbox rows and the effects it left.
 */
export interface LedgerEntry {
  eventId: string;
  tenantId: string;
  type: string;
  /** `outbox_event.status`, or null when no outbox row holds it (seen on the topic only). */
  outbox: string | null;
  /** Copies of the event on its topic. */
  copies: number;
  /** Per consumer that must apply it: inbox rows and effects (e.g. `billing_trigger` rows). */
  consumers: Record<string, { inbox: number; effects: number }>;
}

/** A projection compared with the source of truth after quiesce: what differs. */
export interface ProjectionComparison {
  /** The consumer that maintains it. */
  consumer: string;
  /** e.g. `quote_projection`. */
  projection: string;
  /** Entities compared. */
  compared: number;
  drift: { tenantId: string; entity: string; expected: string; actual: string }[];
}

/** The ledger of a scenario's tenants after quiesce. */
export interface Ledger {
  entries: LedgerEntry[];
  /** Projections compared with PostgreSQL's own rows (when the system names any). */
  projections?: ProjectionComparison[];
  /** How long the backlog took to drain after the heal (ms), when measured. */
  drainMs?: number;
}

/** What the quiesce step reached before the final reads. */
export interface QuiesceReport {
  outboxDrained: boolean;
  pointersCaughtUp: boolean;
  /** Pointers that still trailed the newest acknowledged version when the wait ended. */
  pointersBehind?: string[];
  /** Whether every event was delivered and applied (when the scenario judges a ledger). */
  delivered?: boolean;
  /** How long after the heal delivery completed (ms), when it did. */
  drainMs?: number;
  waitedMs: number;
  /** How many of the system's components could say whether they run (looked at as the quiesce began and ended). */
  componentsChecked?: number;
  /** Components not running as the quiesce began or as it ended, with every fault healed. */
  componentsDown?: ComponentDown[];
  /** Final reads not made through an instance that left several in a row unanswered (workload/cpq-steps.ts). */
  finalReadsLeft?: { instance: number; reads: number }[];
}

/** A component of the system seen not running during the quiesce (`atStart`: as it began, `atEnd`: as it ended). */
export interface ComponentDown {
  name: string;
  atStart: boolean;
  atEnd: boolean;
}

/** One rule of the exploration model broken as the steps ran (workload/step-model.ts). */
export interface ModelViolation {
  /** 0-based position of the step that broke the rule. */
  step: number;
  text: string;
  /** The history ops that prove it (the completion that broke the rule). */
  ops: number[];
}

/** What the exploration model judged as a run of steps went: how many steps, and what broke. */
export interface StepModelObservation {
  judged: number;
  violations: ModelViolation[];
}

/** Observations the run adds after the workload: authoritative reads and measurements. */
/** One k6 threshold at the end of a load run: held, crossed, or never met a sample. */
export interface ThresholdOutcome {
  metric: string;
  expression: string;
  ok: boolean;
  /** Samples of its metric (0: the threshold judged nothing). */
  samples: number;
}

/** CPU by component over a span (measured by harness/env/cpu-usage.ts). */
export interface CpuMeasure {
  seconds: number;
  /** Cores of the machine, and how many of them were busy on average (anyone's work). */
  machineCores: number;
  busyCores: number;
  /** Cores each component used on average, most first (0.42: 42% of one core). */
  components: { component: string; cores: number }[];
}

/** What a load run's k6 instances said: exit codes, requests, errors, and their thresholds. */
export interface LoadObservation {
  profile: string;
  k6ExitCodes: (number | null)[];
  requests: number;
  /** Requests that got no answer or a 5xx. */
  errors: number;
  /** History lines of k6 that did not parse. */
  malformed: number;
  thresholds: ThresholdOutcome[];
  /** Seconds of the ramp up and of the hold at the target users, for a profile that ramps (`load`). */
  stages?: { rampUpS: number; holdS: number };
  /** CPU by component while k6 ran (processes this harness started; absent without /proc). */
  cpu?: CpuMeasure;
  /** CPU by component over a few seconds before k6 started, the system at rest: its fixed cost. */
  idleCpu?: CpuMeasure;
}

export interface Observations {
  quotes?: FinalQuote[];
  orders?: FinalOrder[];
  ledger?: Ledger;
  stampedes?: StampedeMeasurement[];
  quiesce?: QuiesceReport;
  stepModel?: StepModelObservation;
  load?: LoadObservation;
  /** A game-day drill's timeline, probe samples and actions (core/gameday.ts). */
  gameday?: DrillObservation;
}

/** A scenario's final state: its parameters and what was observed. */
export interface FinalState {
  parameters: Parameters;
  observations: Observations;
}

/** The final state of a scenario that observed nothing (yet). */
export function emptyFinalState(parameters: Parameters = {}): FinalState {
  return { parameters: { ...parameters }, observations: {} };
}

const PARAMETER_KEYS = [
  'stalenessBudgetMs',
  'cacheOutageFaults',
  'cacheRecoveryMs',
  'minOutageCommands',
  'minAvailability',
  'stalenessKeptThrough',
  'recoveryBudgetMs',
  'retryBudgetsMs',
] as const;
const OBSERVATION_KEYS = [
  'quotes',
  'orders',
  'ledger',
  'stampedes',
  'quiesce',
  'stepModel',
  'load',
  'gameday',
] as const;

/**
 * Reads a stored final state: today's shape, or the flat bag older runs wrote (parameters and
 * observations side by side), so `analyze` still judges runs recorded before the split.
 */
export function finalStateFrom(stored: unknown): FinalState | undefined {
  if (stored === null || typeof stored !== 'object') return undefined;
  const value = stored as Record<string, unknown>;
  if (typeof value.parameters === 'object' && typeof value.observations === 'object')
    return {
      parameters: { ...(value.parameters as Parameters) },
      observations: { ...(value.observations as Observations) },
    };
  const pick = (keys: readonly string[]) =>
    Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]]));
  return { parameters: pick(PARAMETER_KEYS) as Parameters, observations: pick(OBSERVATION_KEYS) as Observations };
}

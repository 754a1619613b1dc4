/**
 * The scenario registry: every scenario by name, in the order the gate runs them. `cpqchaos list`
 * prints it; `run` and `gate` look scenarios up here. Every scenario is tagged `gate` (the
 * pull-request gate) or `nightly` (the rest: `cpqchaos gate --tag nightly`, for a scheduled job).
 */
import { counterexampleScenario, readCounterexamples } from '../harness/modes/explore/failure-db.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { apiCrashAfterCommit } from './api-crash-after-commit.ts';
import { apiRestartAfterFaults } from './api-restart-after-faults.ts';
import { clockSkewScenario } from './clock-skew.ts';
import { kafkaOutageBeyondRetries } from './kafka-outage-beyond-retries.ts';
import { longLivedTenants } from './long-lived-tenants.ts';
import { postgresCutAndRefusal } from './postgres-cut-and-refusal.ts';
import { publishStormScenario } from './publish-storm.ts';
import { relayRestartAfterClaim } from './relay-restart-after-claim.ts';
import { approvalPolicyChange } from './approval-policy-change.ts';
import { consumerCrashRedelivery } from './consumer-crash-redelivery.ts';
import { duplicateConvert } from './duplicate-convert.ts';
import { hotKeyStampede } from './hot-key-stampede.ts';
import { idempotencyAcrossRedisRestart } from './idempotency-across-redis-restart.ts';
import { invalidationLag } from './invalidation-lag.ts';
import { kafkaOutage } from './kafka-outage.ts';
import { lostOutboxAck } from './lost-outbox-ack.ts';
import { postgresPauseScenario, postgresRestart } from './postgres-faults.ts';
import { publishStampede } from './publish-stampede.ts';
import { redisLatency } from './redis-latency.ts';
import { relayCrashLoop } from './relay-crash-loop.ts';
import { redisOutageScenario } from './redis-outage.ts';
import { redisRestart } from './redis-restart.ts';
import { redisStaleSnapshotScenario } from './redis-stale-snapshot.ts';
import { staleCatalogSubmit } from './stale-catalog-submit.ts';
import { stalePriceSubmit } from './stale-price-submit.ts';
import { tenantCollision } from './tenant-collision.ts';

export const SCENARIOS: readonly Scenario[] = [
  stalePriceSubmit,
  staleCatalogSubmit,
  approvalPolicyChange,
  tenantCollision,
  hotKeyStampede,
  publishStampede,
  invalidationLag,
  redisLatency,
  redisOutageScenario,
  redisRestart,
  redisStaleSnapshotScenario,
  clockSkewScenario,
  duplicateConvert,
  kafkaOutage,
  kafkaOutageBeyondRetries,
  consumerCrashRedelivery,
  postgresCutAndRefusal,
  // Tagged `nightly`: run with `cpqchaos gate --tag nightly`.
  longLivedTenants,
  publishStormScenario,
  apiRestartAfterFaults,
  relayRestartAfterClaim,
  lostOutboxAck,
  relayCrashLoop,
  postgresRestart,
  postgresPauseScenario,
  apiCrashAfterCommit,
  idempotencyAcrossRedisRestart,
];

/**
 * Counterexamples explorations recorded (`.cpqchaos/explore-failures.jsonl`, committed ones in
 * `scenarios/counterexamples.jsonl`), each a scenario tagged `gate`: the gate re-runs them first.
 */
export function counterexamples(): Scenario[] {
  return readCounterexamples().map((entry) => counterexampleScenario(entry));
}

/** The scenario named `name` (a registered one or a recorded counterexample), or undefined. */
export function scenarioNamed(name: string): Scenario | undefined {
  return (
    SCENARIOS.find((s) => s.name === name) ??
    (name.startsWith('counterexample-') ? counterexamples().find((s) => s.name === name) : undefined)
  );
}

/** Scenarios carrying `tag`: recorded counterexamples first, then the registry's in order. */
export function scenariosTagged(tag: string): Scenario[] {
  return [...counterexamples(), ...SCENARIOS].filter((s) => s.tags.includes(tag));
}

/**
 * `idempotency-across-redis-restart`: Redis is killed and comes back empty while quotes are
 * converted and retried. Idempotency must live where the orders live (PostgreSQL): a key replayed
 * after the restart answers what it answered before, and no quote gets a second order — a system
 * that keeps idempotency only in Redis forgets every key here.
 */
import { redisKill } from '../harness/faults/process-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { messagingScenario } from './messaging-base.ts';

export const idempotencyAcrossRedisRestart: Scenario = {
  ...messagingScenario,
  name: 'idempotency-across-redis-restart',
  family: 'messaging',
  tags: ['nightly', 'messaging', 'idempotency'],
  purpose: 'keys replayed after Redis restarts empty still answer their first outcome; one order per quote',
  faultNames: ['redis-kill'],
  faults: windowed(redisKill, { windows: 2, minMs: 1000, maxMs: 2000 }),
};

/**
 * PostgreSQL under the messaging chain. `postgres-restart`: the database is killed -9 mid-traffic
 * and started again (crash recovery) — commands fail or time out meanwhile, clients retry with
 * their keys, the relay and consumers reconnect. `postgres-pause`: the database freezes in seeded
 * windows — connections stay open and nothing answers — so converts time out (`info`) and are
 * retried with the same key. Either way: one order per quote, one outcome per key, every event
 * on its topic and billed once.
 */
import { postgresKill, postgresPause } from '../harness/faults/process-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { messagingScenario } from './messaging-base.ts';

export const postgresRestart: Scenario = {
  ...messagingScenario,
  name: 'postgres-restart',
  purpose: 'PostgreSQL killed -9 and restarted mid-traffic: no duplicate order, no lost or doubly-applied event',
  faultNames: ['postgres-kill'],
  timeLimitS: 14,
  faults: windowed(postgresKill, { windows: 1, minMs: 2000, maxMs: 3000, gapMs: 3000 }),
};

export const postgresPauseScenario: Scenario = {
  ...messagingScenario,
  name: 'postgres-pause',
  purpose: 'PostgreSQL frozen in windows: timed-out converts retried with their keys make one order, events apply once',
  faultNames: ['postgres-pause'],
  faults: windowed(postgresPause, { windows: 2, minMs: 1500, maxMs: 3000 }),
};

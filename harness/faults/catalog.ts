/**
 * The faults an exploration can interleave with business steps, by name: each a fault of this
 * folder (started by a step, healed by a later step or at the end of the run), the families whose
 * explorations draw it, and what it needs of the system under test (checked before anything starts).
 */
import type { Requirement } from '../system/system.ts';
import { redisStaleSnapshot } from './cache-faults.ts';
import { failpointCrash } from './failpoint-faults.ts';
import type { Fault } from './fault.ts';
import { tableLock } from './lock-faults.ts';
import { lostAck, proxyDisable, proxyToxic, redisOutage } from './network-faults.ts';
import { componentKill, componentPause, postgresPause, redisKill, staleCacheWindow } from './process-faults.ts';

export type FaultFamily = 'cache' | 'messaging';

export interface CatalogFault {
  fault: Fault;
  families: readonly FaultFamily[];
  requires: readonly Requirement[];
}

const RELAY_FAILPOINT = 'relay.after-publish-before-mark';
const CONSUMER_FAILPOINT = 'consumer.after-effect-before-commit';

/** A fresh catalog (faults keep per-run state such as snapshots): name → fault. */
export function faultCatalog(): ReadonlyMap<string, CatalogFault> {
  const invalidationPause = [{ component: 'invalidation', abilities: ['pause'] }] as const;
  return new Map<string, CatalogFault>([
    ['redis-restart', { fault: redisKill, families: ['cache', 'messaging'], requires: [] }],
    ['redis-stale-snapshot', { fault: redisStaleSnapshot, families: ['cache'], requires: [] }],
    ['redis-outage', { fault: redisOutage, families: ['cache'], requires: [] }],
    ['stale-cache-window', { fault: staleCacheWindow, families: ['cache'], requires: invalidationPause }],
    ['invalidation-pause', { fault: componentPause('invalidation'), families: ['cache'], requires: invalidationPause }],
    [
      'api-postgres-latency',
      {
        fault: proxyToxic('api-postgres', 'latency', { latency: 300, jitter: 0 }),
        families: ['cache', 'messaging'],
        requires: [],
      },
    ],
    [
      'relay-crash',
      {
        fault: failpointCrash('relay', RELAY_FAILPOINT),
        families: ['messaging'],
        requires: [{ component: 'relay', abilities: ['kill', 'failpoints'], failpoints: [RELAY_FAILPOINT] }],
      },
    ],
    [
      'consumer-crash',
      {
        fault: failpointCrash('consumers', CONSUMER_FAILPOINT, { consumer: 'billing' }),
        families: ['messaging'],
        requires: [{ component: 'consumers', abilities: ['kill', 'failpoints'], failpoints: [CONSUMER_FAILPOINT] }],
      },
    ],
    ['lost-ack', { fault: lostAck('relay-kafka'), families: ['messaging'], requires: [] }],
    ['kafka-outage', { fault: proxyDisable('relay-kafka'), families: ['messaging'], requires: [] }],
    [
      'relay-kill',
      {
        fault: componentKill('relay'),
        families: ['messaging'],
        requires: [{ component: 'relay', abilities: ['kill'] }],
      },
    ],
    ['postgres-pause', { fault: postgresPause, families: ['messaging'], requires: [] }],
    // Not drawn by explorations (none of their families): a game-day drill names it.
    ['postgres-lock-contention', { fault: tableLock('quote'), families: [], requires: [] }],
  ]);
}

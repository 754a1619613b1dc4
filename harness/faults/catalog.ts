/**
 * The faults an exploration can interleave with business steps, by name: each a fault of this
 * folder (started by a step, healed by a later step or at the end of the run), the families whose
 * explorations draw it, its class (what kind of trouble it is, so a draw can give each class a fair
 * share), the system budgets it is sized from, and what it needs of the system under test (all
 * checked before anything starts).
 */
import { PROXY_TOPOLOGY, type ProxiedService } from '../env/proxies.ts';
import type { Requirement } from '../system/system.ts';
import { outlasting } from './budget.ts';
import { redisStaleSnapshot } from './cache-faults.ts';
import { clockSkew } from './clock-faults.ts';
import { failpointCrash } from './failpoint-faults.ts';
import type { Fault } from './fault.ts';
import { tableLock } from './lock-faults.ts';
import { allOf } from './fault.ts';
import { blackhole, cutMidTransaction, lostAck, proxyDisable, proxyToxic, redisOutage } from './network-faults.ts';
import {
  componentKill,
  componentPause,
  kafkaPause,
  postgresPause,
  redisKill,
  redisPause,
  staleCacheWindow,
} from './process-faults.ts';
import { kafkaRefusesProduce, postgresRefusesWrites, redisRefusesWrites } from './refusal-faults.ts';

export type FaultFamily = 'cache' | 'messaging';

/**
 * What kind of trouble a fault is: `brief` (over within the clients' retries), `outlast` (longer
 * than a client's retry or timeout budget), `freeze` (a dependency stops answering without closing
 * anything), `between-writes` (a crash or a lost connection between two writes of one unit of
 * work), `refusal` (the dependency answers with an error), `clock` (a component's clock jumps).
 */
export type FaultClass = 'brief' | 'outlast' | 'freeze' | 'between-writes' | 'refusal' | 'clock';
export const FAULT_CLASSES: readonly FaultClass[] = [
  'brief',
  'outlast',
  'freeze',
  'between-writes',
  'refusal',
  'clock',
];

export interface CatalogFault {
  fault: Fault;
  families: readonly FaultFamily[];
  class: FaultClass;
  requires: readonly Requirement[];
  /** System budgets (its `retryBudgetsMs`) the fault is sized from. */
  budgets?: readonly string[];
}

/**
 * The faults on the way a publish reaches the caches — PostgreSQL (the publish, the outbox), the
 * relay, Kafka, the invalidation consumer, an old Redis snapshot put back, a Redis that refuses the
 * publish's pointer write (it keeps answering the old pointer; only the event feed still moves the
 * instances on, and a clock jump drawn with it cuts that feed — explore's clean seed 4 found the
 * pair): while one lasts, and for the staleness budget after, a stale cached read is excused. Every
 * other fault keeps the budget: a Redis that fails is read around, and a billing consumer's crash or
 * an API instance's restart has nothing to do with freshness, so an exploration judges staleness
 * straight through them.
 */
export const ON_FRESHNESS_PATH: ReadonlySet<string> = new Set([
  ...['redis-stale-snapshot', 'stale-cache-window', 'invalidation-pause', 'lost-ack', 'kafka-outage', 'relay-kill'],
  ...['kafka-outage-beyond-retries', 'postgres-outage-beyond-connect', 'postgres-pause', 'postgres-blackhole'],
  ...['kafka-freeze', 'relay-crash', 'relay-crash-after-claim', 'postgres-cut', 'kafka-refuses-produce'],
  'redis-refuses-writes',
]);

const RELAY_FAILPOINT = 'relay.after-publish-before-mark';
const RELAY_CLAIM_FAILPOINT = 'relay.after-claim-before-publish';
const CONSUMER_FAILPOINT = 'consumer.after-effect-before-commit';
const INBOX_FAILPOINT = 'consumer.after-effect-before-inbox';
const CONVERT_FAILPOINT = 'api.convert-between-statements';

const proxiesOf = (service: ProxiedService) => PROXY_TOPOLOGY.filter((p) => p.service === service).map((p) => p.name);
const crashAt = (component: string, failpoint: string): Requirement => ({
  component,
  abilities: ['kill', 'failpoints'],
  failpoints: [failpoint],
});

type Entry = [string, CatalogFault];
const both: readonly FaultFamily[] = ['cache', 'messaging'];

/** The faults over within the clients' retries, and the crashes after a unit of work. */
function briefFaults(): Entry[] {
  const invalidationPause = [{ component: 'invalidation', abilities: ['pause'] }] as const;
  return [
    ['redis-restart', { fault: redisKill, families: both, class: 'brief', requires: [] }],
    ['redis-stale-snapshot', { fault: redisStaleSnapshot, families: ['cache'], class: 'brief', requires: [] }],
    ['redis-outage', { fault: redisOutage, families: ['cache'], class: 'brief', requires: [] }],
    [
      'stale-cache-window',
      { fault: staleCacheWindow, families: ['cache'], class: 'brief', requires: invalidationPause },
    ],
    [
      'invalidation-pause',
      { fault: componentPause('invalidation'), families: ['cache'], class: 'brief', requires: invalidationPause },
    ],
    [
      'api-postgres-latency',
      {
        fault: proxyToxic('api-postgres', 'latency', { latency: 300, jitter: 0 }),
        families: both,
        class: 'brief',
        requires: [],
      },
    ],
    ['api-kafka-outage', { fault: proxyDisable('api-kafka'), families: ['cache'], class: 'brief', requires: [] }],
    [
      'api-restart',
      {
        fault: componentKill('api-1'),
        families: both,
        class: 'brief',
        requires: [{ component: 'api-1', abilities: ['kill'] }],
      },
    ],
    ['lost-ack', { fault: lostAck('relay-kafka'), families: ['messaging'], class: 'brief', requires: [] }],
    ['kafka-outage', { fault: proxyDisable('relay-kafka'), families: ['messaging'], class: 'brief', requires: [] }],
    [
      'relay-kill',
      {
        fault: componentKill('relay'),
        families: ['messaging'],
        class: 'brief',
        requires: [{ component: 'relay', abilities: ['kill'] }],
      },
    ],
  ];
}

/** Faults longer than a budget, freezes and black holes. */
function longAndFrozenFaults(): Entry[] {
  const unreachable = (service: ProxiedService, name: string) =>
    allOf(
      name,
      service,
      proxiesOf(service).map((proxy) => proxyDisable(proxy)),
    );
  return [
    [
      'kafka-outage-beyond-retries',
      {
        fault: outlasting(proxyDisable('relay-kafka'), {
          name: 'kafka-outage-beyond-retries',
          budget: 'kafka-producer',
        }),
        families: ['messaging'],
        class: 'outlast',
        requires: [],
        budgets: ['kafka-producer'],
      },
    ],
    [
      'postgres-outage-beyond-connect',
      {
        fault: outlasting(unreachable('postgres', 'postgres-unreachable'), {
          name: 'postgres-outage-beyond-connect',
          budget: 'postgres-connect',
        }),
        families: both,
        class: 'outlast',
        requires: [],
        budgets: ['postgres-connect'],
      },
    ],
    ['redis-freeze', { fault: redisPause, families: both, class: 'freeze', requires: [] }],
    [
      'redis-blackhole',
      {
        fault: blackhole('redis-blackhole', 'redis', proxiesOf('redis')),
        families: ['cache'],
        class: 'freeze',
        requires: [],
      },
    ],
    ['postgres-pause', { fault: postgresPause, families: ['messaging'], class: 'freeze', requires: [] }],
    [
      'postgres-blackhole',
      {
        fault: blackhole('postgres-blackhole', 'postgres', proxiesOf('postgres')),
        families: both,
        class: 'freeze',
        requires: [],
      },
    ],
    ['kafka-freeze', { fault: kafkaPause, families: ['messaging'], class: 'freeze', requires: [] }],
  ];
}

/** Crashes and lost connections between two writes, refusals, and clock jumps. */
function seamFaults(): Entry[] {
  return [
    [
      'relay-crash',
      {
        fault: failpointCrash('relay', RELAY_FAILPOINT),
        families: ['messaging'],
        class: 'between-writes',
        requires: [crashAt('relay', RELAY_FAILPOINT)],
      },
    ],
    [
      'relay-crash-after-claim',
      {
        fault: failpointCrash('relay', RELAY_CLAIM_FAILPOINT),
        families: ['messaging'],
        class: 'between-writes',
        requires: [crashAt('relay', RELAY_CLAIM_FAILPOINT)],
      },
    ],
    [
      'consumer-crash',
      {
        fault: failpointCrash('consumers', CONSUMER_FAILPOINT, { consumer: 'billing' }),
        families: ['messaging'],
        class: 'between-writes',
        requires: [crashAt('consumers', CONSUMER_FAILPOINT)],
      },
    ],
    [
      'consumer-crash-before-inbox',
      {
        fault: failpointCrash('consumers', INBOX_FAILPOINT, { consumer: 'billing' }),
        families: ['messaging'],
        class: 'between-writes',
        requires: [crashAt('consumers', INBOX_FAILPOINT)],
      },
    ],
    [
      'api-crash-mid-convert',
      {
        fault: failpointCrash('api-1', CONVERT_FAILPOINT),
        families: ['messaging'],
        class: 'between-writes',
        requires: [crashAt('api-1', CONVERT_FAILPOINT)],
      },
    ],
    [
      'postgres-cut',
      { fault: cutMidTransaction('api-postgres'), families: both, class: 'between-writes', requires: [] },
    ],
    [
      'postgres-refuses-writes',
      {
        fault: postgresRefusesWrites(['billing_trigger', 'quote_projection']),
        families: ['messaging'],
        class: 'refusal',
        requires: [],
      },
    ],
    ['kafka-refuses-produce', { fault: kafkaRefusesProduce, families: ['messaging'], class: 'refusal', requires: [] }],
    ['redis-refuses-writes', { fault: redisRefusesWrites, families: both, class: 'refusal', requires: [] }],
    ...clockJumps(),
  ];
}

/**
 * A jump of api-1's clock while the instances hear no publish events (cached pointers then live by
 * their age alone), one entry per direction: the direction is part of the step fast-check draws, so
 * a shrink and a `--path` replay jump the same way as the run they come from.
 */
function clockJumps(): Entry[] {
  return (
    [
      ['clock-jump-back', -600_000],
      ['clock-jump-ahead', 600_000],
    ] as const
  ).map(([name, offsetMs]) => [
    name,
    {
      fault: allOf('clock-skew', 'api-1+api-kafka', [proxyDisable('api-kafka'), clockSkew('api-1', offsetMs)]),
      families: ['cache'],
      class: 'clock',
      requires: [{ component: 'api-1', abilities: ['clock'] }],
    },
  ]);
}

/** A fresh catalog (faults keep per-run state such as snapshots): name → fault. */
export function faultCatalog(): ReadonlyMap<string, CatalogFault> {
  return new Map<string, CatalogFault>([
    ...briefFaults(),
    ...longAndFrozenFaults(),
    ...seamFaults(),
    // Not drawn by explorations (none of their families): a game-day drill names it.
    ['postgres-lock-contention', { fault: tableLock('quote'), families: [], class: 'refusal', requires: [] }],
  ]);
}

/**
 * The reference CPQ/OMS as a system under test: N API instances, the outbox relay, the
 * billing/projection consumers and the cache-invalidation consumer, each a process group of its
 * own wired to its own Toxiproxy paths, each ready when its `/healthz` answers. Every component can
 * be killed, restarted and paused, and — when a scenario needs it — started with a movable clock;
 * each has the failpoints of its kind. Its planted bugs, failpoint names and client budgets come
 * from the reference implementation itself (the one place they are defined); this is the only
 * harness file that knows them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BUG_NAMES } from '../../reference-impl/app/bugs.ts';
import { RETRY_BUDGETS_MS } from '../../reference-impl/budgets.ts';
import { FAILPOINT_NAMES } from '../../reference-impl/app/failpoints.ts';
import { metricNames } from '../../reference-impl/app/metrics.ts';
import { InfraError } from '../core/errors.ts';
import { allocatePorts } from '../env/ports.ts';
import type { ProcessSpec } from '../env/process.ts';
import { startWatchdog, type Watchdog } from '../env/watchdog.ts';
import type { Component } from '../env/proxies.ts';
import { ComponentProcess } from './component-process.ts';
import { ComponentContainer, IMAGE_FAKETIME_LIB } from './component-container.ts';
import { movableClockEnv } from './component-abilities.ts';
import { containerRuntime, type ContainerRuntime } from './container-runtime.ts';
import { findFaketimeLib } from '../env/provision/debian.ts';
import { ContractReads } from './contract-reads.ts';
import type { DeliverySpec } from './ledger-reads.ts';
import { RunningSystem } from './running-system.ts';
import type { ComponentPlan, SourceEntity, StartOptions, SystemUnderTest } from './system.ts';
import { PACKAGE_ROOT as ROOT } from '../env/paths.ts';

/** What kind of component a process is. */
export type ComponentKind = 'api' | 'relay' | 'consumers' | 'invalidation';

interface KindSpec {
  entry: string;
  /** Which Toxiproxy paths it uses. */
  paths: Component;
  /** Its failpoints: the reference implementation's names with this prefix. */
  failpointPrefix: string;
  env?: Record<string, string>;
}

const KINDS: Record<ComponentKind, KindSpec> = {
  api: { entry: 'reference-impl/api-main.ts', paths: 'api', failpointPrefix: 'api.' },
  relay: { entry: 'reference-impl/relay/main.ts', paths: 'relay', failpointPrefix: 'relay.' },
  consumers: {
    entry: 'reference-impl/consumers/main.ts',
    paths: 'consumers',
    failpointPrefix: 'consumer.',
    env: { CPQ_CONSUMERS: 'billing,projection' },
  },
  invalidation: {
    entry: 'reference-impl/consumers/main.ts',
    paths: 'consumers',
    failpointPrefix: 'consumer.',
    env: { CPQ_CONSUMERS: 'invalidation' },
  },
};

/** How the reference system loads each entity from PostgreSQL (pg_stat_statements LIKE patterns). */
const SOURCE_STATEMENTS: Record<SourceEntity, string> = {
  offering: 'select offering_id, name, family, active from catalog_offering%',
  price: 'select offering_id, unit_price_cents from price_entry%',
};

/**
 * What the consumers owe: billing, one `billing_trigger` row per `OrderCreated`, exactly once; and
 * the projection consumer's `quote_projection` in step with each quote's state and revision.
 */
const DELIVERY: DeliverySpec = {
  effects: [{ consumer: 'billing', eventTypes: ['OrderCreated'], table: 'billing_trigger' }],
  projections: [
    {
      consumer: 'projection',
      projection: 'quote_projection',
      compare: `select q.tenant_id, q.quote_id::text as entity, q.state || '@' || q.revision as expected,
                       p.state || '@' || p.revision as actual
                  from quote q left join quote_projection p on p.tenant_id = q.tenant_id and p.quote_id = q.quote_id
                 where q.tenant_id = any($1)`,
      versions: `select quote_id::text as entity, revision as version from quote_projection where tenant_id = any($1)`,
    },
  ],
};

const failpointsOf = (kind: ComponentKind) => FAILPOINT_NAMES.filter((f) => f.startsWith(KINDS[kind].failpointPrefix));

function planOf(instances: number): (ComponentPlan & { kind: ComponentKind })[] {
  const names: [string, ComponentKind][] = [
    ...Array.from({ length: instances }, (_, i): [string, ComponentKind] => [`api-${i + 1}`, 'api']),
    ['relay', 'relay'],
    ['consumers', 'consumers'],
    ['invalidation', 'invalidation'],
  ];
  return names.map(([name, kind]) => ({
    name,
    kind,
    abilities: ['kill', 'restart', 'pause', ...(failpointsOf(kind).length ? (['failpoints'] as const) : []), 'clock'],
  }));
}

/** libfaketime's library, or an error saying how to get it (a scenario moves a component's clock). */
function requireFaketime(): string {
  const lib = findFaketimeLib();
  if (!lib)
    throw new InfraError(
      'a scenario moves a component clock, and libfaketime is not installed',
      'run `npx cpqchaos env provision` as root, or apt-get install libfaketime',
    );
  return lib;
}

/** A component as it runs: a native process, or a container of the system image. */
export type RunningComponent = ComponentProcess | ComponentContainer;

/** A running reference system. */
export class ReferenceSystem extends RunningSystem<RunningComponent> {
  private constructor(components: RunningComponent[], bugs: string[], reads: ContractReads, watchdog: Watchdog) {
    super('the reference system', components, bugs, reads, watchdog);
  }

  /** Starts every component (in parallel) and waits until all are ready; stops all on failure. */
  static async start(
    options: Omit<StartOptions, 'instances' | 'failpoints'> & Partial<StartOptions>,
  ): Promise<ReferenceSystem> {
    const plan = planOf(options.instances ?? 2);
    for (const sub of ['logs', 'pids', 'clock']) fs.mkdirSync(path.join(options.dir, sub), { recursive: true });
    // In containers: the system image, built here when its inputs changed.
    const runtime: ContainerRuntime | undefined = await containerRuntime(options.endpoints);
    const faketimeLib = options.clock ? (runtime ? IMAGE_FAKETIME_LIB : requireFaketime()) : undefined;
    const ports = await allocatePorts(plan.length);
    // If this process dies without stopping them (SIGKILL), the watchdog does — paused ones too.
    const watchdog = startWatchdog({
      label: 'reference system',
      stop: [path.join(options.dir, 'pids')],
      ...(runtime ? { containers: { host: runtime.host, env: options.endpoints.id, role: 'system' } } : {}),
      logFile: path.join(options.dir, 'logs', 'watchdog.log'),
    });
    // Every start settles before deciding, so a failure or an abort never leaves a late one running.
    const results = await Promise.allSettled(
      plan.map(async (entry, i) => {
        const port = ports[i] as number;
        const kind = KINDS[entry.kind];
        const paths = options.endpoints.paths[kind.paths];
        const clockFile = faketimeLib ? path.join(options.dir, 'clock', `${entry.name}.faketime`) : undefined;
        const spec: ProcessSpec = {
          name: entry.name,
          command: process.execPath,
          args: ['--import', 'tsx', path.join(ROOT, kind.entry)],
          cwd: ROOT,
          env: {
            CPQ_INSTANCE_ID: entry.name,
            CPQ_PORT: String(port),
            CPQ_DATABASE_URL: paths.postgres ?? options.endpoints.services.postgres.url,
            CPQ_REDIS_URL: paths.redis ?? options.endpoints.services.redis.url,
            CPQ_KAFKA_BROKERS: (paths.kafka ?? options.endpoints.services.kafka.brokers).join(','),
            CPQ_BUGS: options.bugs.join(','),
            CPQ_FAILPOINTS: options.failpoints ? 'on' : 'off',
            CPQ_LOG_LEVEL: options.logLevel ?? 'info',
            KAFKAJS_NO_PARTITIONER_WARNING: '1',
            ...options.extraEnv,
            ...kind.env,
            ...(faketimeLib && clockFile ? movableClockEnv(faketimeLib, clockFile) : {}),
          },
          logFile: path.join(options.dir, 'logs', `${entry.name}.log`),
          pidFile: path.join(options.dir, 'pids', `${entry.name}.json`),
          stopSignal: 'SIGTERM',
        };
        const failpoints = options.failpoints ? failpointsOf(entry.kind) : [];
        const common = { ...(options.signal ? { signal: options.signal } : {}), ...(clockFile ? { clockFile } : {}) };
        if (!runtime) return ComponentProcess.start(spec, entry.kind, port, failpoints, common);
        return ComponentContainer.start({ ...spec, env: { ...spec.env, HOME: '/tmp' } }, entry.kind, port, failpoints, {
          ...runtime,
          envId: options.endpoints.id,
          command: [kind.entry],
          ...common,
        });
      }),
    );
    const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((c) => c.stop({ graceMs: 2000 })));
      watchdog.release();
      const error = failed.reason as Error;
      throw error instanceof InfraError
        ? error
        : new InfraError(`the reference system did not start: ${error.message}`);
    }
    return new ReferenceSystem(
      started,
      [...options.bugs],
      new ContractReads(options.endpoints, SOURCE_STATEMENTS, DELIVERY),
      watchdog,
    );
  }
}

/** The reference CPQ/OMS, before it starts. */
export const referenceSystem: SystemUnderTest = {
  name: 'reference CPQ/OMS',
  promises: {
    // Browse reads may serve a version pointer stale-while-revalidate for up to 2.5 s
    // (POINTER_STALE_MS in reference-impl/app/reference-data.ts), plus 1.5 s for invalidation to
    // move the cached pointer and the refresh to read it.
    stalenessBudgetMs: 4000,
    // Contract section 4: losing all of Redis loses no business data and stops no command.
    minAvailability: 1,
    // After Redis is back, an instance reconnects within 500 ms (retryStrategy in adapters/redis)
    // and its breaker skips Redis up to 1 s after the last failure (degrading-cache.ts): until then
    // it behaves as if Redis were down (found by explore: a stampede right after a heal cost one
    // load per instance).
    cacheRecoveryMs: 2000,
    // After any heal, every request is answered again within 5 s: a pool replaces its broken
    // connections on the next checkout, Redis' breaker closes within 1 s, a restarted component is
    // ready before its heal returns.
    recoveryBudgetMs: 5000,
    // How long each client keeps trying before a call fails (reference-impl/budgets.ts).
    retryBudgetsMs: RETRY_BUDGETS_MS,
  },
  bugs: BUG_NAMES,
  failpoints: FAILPOINT_NAMES,
  metrics: metricNames(),
  plan: planOf,
  start: (options) => ReferenceSystem.start(options),
};

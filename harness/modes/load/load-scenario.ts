/**
 * A load run as a scenario, so it has every scenario's lifecycle (seed the tenants → workload with
 * the fault schedule → heal → quiesce → final reads → every checker): its workload is k6 running
 * the profile's business mix (each request recorded as history as it goes) while a harness worker
 * publishes new catalog, price-list (EUR and USD) and policy versions — the changes the cache
 * invariants are about. The named faults get one window each, one after another in the middle
 * third of k6's span, so there is a before, a during and an after. k6's thresholds, requests and
 * exit codes go into the final state (`observations.load`), with the CPU each component used while
 * k6 ran and, measured for 5 s after seeding and before k6, at rest (its fixed cost).
 */
import { CACHE_OUTAGE_FAULTS } from '../../core/vocabulary.ts';
import { availabilityUnderCacheOutage } from '../../checkers/availability-under-cache-outage.ts';
import { boundedStaleness } from '../../checkers/bounded-staleness.ts';
import { effectsExactlyOnce } from '../../checkers/effects-exactly-once.ts';
import { idempotentReplay } from '../../checkers/idempotent-replay.ts';
import { noApprovalBypass } from '../../checkers/no-approval-bypass.ts';
import { noLostEvents } from '../../checkers/no-lost-events.ts';
import { noStaleSubmit } from '../../checkers/no-stale-submit.ts';
import { singleOrderPerQuote } from '../../checkers/single-order-per-quote.ts';
import { tenantIsolation } from '../../checkers/tenant-isolation.ts';
import type { CpuMeasure, LoadObservation } from '../../core/final-state.ts';
import { UsageError } from '../../core/errors.ts';
import { cpuMeter, cpuOver } from '../../env/cpu-usage.ts';
import { faultCatalog } from '../../faults/catalog.ts';
import { faultPackage } from '../../faults/schedule.ts';
import { finalCacheReads, publisher, seedTenants } from '../../workload/cpq-steps.ts';
import { drain } from '../../workload/final-reads.ts';
import { either, onWorkers, once, repeat, stagger, timeLimit } from '../../workload/generators.ts';
import { combineThresholds, thresholdsOf } from './k6-summary.ts';
import { followK6Dir, waitForPods, writeK6Env } from './k6-external.ts';
import type { K6HistoryTail } from './k6-history.ts';
import { k6Vus, startK6, type K6Run } from './k6-run.ts';
import { noopScenario, type Scenario, type ScenarioContext } from '../../runner/scenario.ts';
import { k6Vars, rampS, spanMs, type LoadPlan } from './load-plan.ts';

/** Faults the availability checker counts as cache outages (its default list). */
const POLICY_LIMITS = [10, 30];
/** How long the system is measured at rest before k6 starts: its fixed cost, apart from the requests'. */
const IDLE_WINDOW_MS = 5_000;

/**
 * The scenario of `plan`, its script in `scriptDir`, run with the k6 binary `k6()` names when the
 * workload starts (provisioned after the scenario is checked: a bad fault name waits for no build).
 */
export function loadScenario(plan: LoadPlan, k6: () => string, scriptDir: string): Scenario {
  const catalog = faultCatalog();
  const chosen = plan.faults.map((name) => {
    const entry = catalog.get(name);
    if (!entry) throw new UsageError(`unknown fault '${name}'`, `faults: ${[...catalog.keys()].join(', ')}`);
    return entry;
  });
  const span = spanMs(plan);
  const outage = chosen.some((c) => (CACHE_OUTAGE_FAULTS as readonly string[]).includes(c.fault.name));
  let idle: CpuMeasure | undefined;
  return {
    ...noopScenario,
    name: `load-${plan.profile}`,
    family: 'load',
    purpose: `k6 profile ${plan.profile} under ${plan.faults.join(', ') || 'no faults'}, judged by every invariant`,
    tags: ['load'],
    checkers: [
      noStaleSubmit,
      noApprovalBypass,
      tenantIsolation,
      boundedStaleness,
      singleOrderPerQuote,
      idempotentReplay,
      noLostEvents,
      effectsExactlyOnce,
      ...(outage ? [availabilityUnderCacheOutage] : []),
    ],
    faultNames: chosen.map((c) => c.fault.name),
    requires: chosen.flatMap((c) => c.requires),
    tenants: 3,
    timeLimitS: Math.ceil(span / 1000),
    concurrency: 2,
    setup: async (ctx) => {
      await seedTenants(ctx, POLICY_LIMITS);
      // At rest means the seed's events published: the relay's work on them is not the idle cost.
      await drain(ctx.reads, ctx.tenants, { outboxMs: 10_000 });
      ctx.status(`measuring the system at rest for ${IDLE_WINDOW_MS / 1000} s before k6 starts (its fixed CPU cost)`);
      idle = await cpuOver(IDLE_WINDOW_MS, ctx.signal);
      ctx.status(undefined);
      if (plan.k6Dir) await awaitPods(ctx, plan, plan.k6Dir);
    },
    workload: (ctx) => [
      {
        name: 'load',
        gen: either(
          onWorkers(
            (p) => p === 0,
            timeLimit(
              span,
              stagger(plan.publishEveryMs, repeat(publisher(ctx, ['pricing', 'catalog', 'policy'], POLICY_LIMITS))),
            ),
          ),
          onWorkers(
            (p) => p === 1,
            once(() => runK6s(ctx, plan, k6(), scriptDir, idle)),
          ),
        ),
      },
    ],
    faults: () => {
      // One window each, one after another, in the middle third of the span.
      const slot = span / 3 / Math.max(1, chosen.length);
      return chosen.map((c, i) => {
        const start = Math.round(span / 3 + i * slot);
        return faultPackage(c.fault, [
          { atMs: start, action: 'start' },
          { atMs: Math.round(start + slot * 0.8), action: 'stop' },
        ]);
      });
    },
    finalReads: finalCacheReads,
  };
}

/** External k6: writes the pods' variables, then waits (up to 10 minutes) until the first pod writes. */
async function awaitPods(ctx: ScenarioContext, plan: LoadPlan, dir: string): Promise<void> {
  // Each pod names itself (INSTANCE from its pod name, set in the TestRun): not in the shared file.
  const vars: Record<string, string> = k6Vars(plan, { apiUrls: ctx.apiUrls, tenants: ctx.tenants, instance: '' });
  delete vars.INSTANCE;
  const file = writeK6Env(dir, vars);
  ctx.status(`waiting for ${plan.instances} k6 pod(s) to write into ${dir} (their variables: ${file})`);
  const started = await waitForPods(dir, 600_000, ctx.signal);
  ctx.status(undefined);
  if (!started && !ctx.signal.aborted) throw new Error(`no k6 pod wrote a console.log under ${dir} within 10 minutes`);
}

/** Runs the plan's k6 instances (or follows external ones) and records what they said (and `idle`, the CPU at rest). */
async function runK6s(
  ctx: ScenarioContext,
  plan: LoadPlan,
  k6: string,
  scriptDir: string,
  idle: CpuMeasure | undefined,
): Promise<void> {
  const since = performance.now();
  const cpu = cpuMeter();
  const sampling = setInterval(() => cpu.sample(), 1000);
  const runs = await (
    plan.k6Dir
      ? followK6Dir(ctx.history, plan.k6Dir, {
          expected: plan.instances,
          timeoutMs: spanMs(plan) + 300_000,
          signal: ctx.signal,
          onTail: (tails) => liveStatus(ctx, plan, since, tails, undefined),
        })
      : runLocalK6s(ctx, plan, k6, scriptDir, since)
  ).finally(() => clearInterval(sampling));
  const cpuUsed = cpu.measure();
  const observation: LoadObservation = {
    profile: plan.profile,
    k6ExitCodes: runs.map((r) => r.exitCode),
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    malformed: runs.reduce((sum, r) => sum + r.malformed, 0),
    thresholds: combineThresholds(runs.map((r) => thresholdsOf(r.summaryFile) ?? [])),
    ...(plan.profile === 'load' ? { stages: { rampUpS: rampS(plan), holdS: plan.durationS } } : {}),
    ...(cpuUsed ? { cpu: cpuUsed } : {}),
    ...(idle ? { idleCpu: idle } : {}),
  };
  ctx.finalState.observations.load = observation;
  ctx.status(undefined);
  const broken = runs.find((r) => r.exitCode !== null && r.exitCode !== 0 && r.exitCode !== 99 && !ctx.signal.aborted);
  if (broken)
    throw new Error(
      `k6 exited ${broken.exitCode}: ${broken.otherLines.slice(-3).join(' | ') || 'no output'} (log: ${broken.logFile})`,
    );
  if (runs.length < plan.instances && !ctx.signal.aborted)
    throw new Error(`expected ${plan.instances} k6 instance(s), heard from ${runs.length}`);
}

/** The progress line: VUs (from k6's REST API when local), requests per second, errors. */
function liveStatus(
  ctx: ScenarioContext,
  plan: LoadPlan,
  since: number,
  tails: readonly K6HistoryTail[],
  vus: number | undefined,
) {
  const requests = tails.reduce((sum, t) => sum + t.stats.requests, 0);
  const errors = tails.reduce((sum, t) => sum + t.stats.errors, 0);
  const seconds = Math.max(1, (performance.now() - since) / 1000);
  ctx.status(
    `k6 ${plan.profile}: ${vus === undefined ? `${tails.length} instance(s)` : `${vus} VUs`} · ${(requests / seconds).toFixed(0)} req/s · ${errors} errors`,
  );
}

/** Runs the plan's k6 instances here (execution segments when several); resolves when all ended. */
async function runLocalK6s(
  ctx: ScenarioContext,
  plan: LoadPlan,
  k6: string,
  scriptDir: string,
  since: number,
): Promise<K6Run[]> {
  const n = plan.instances;
  const sequence = Array.from({ length: n + 1 }, (_, i) => (i === 0 ? '0' : i === n ? '1' : `${i}/${n}`)).join(',');
  const bounds = sequence.split(',');
  const handles = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      startK6(ctx.history, {
        binary: k6,
        script: `${scriptDir}/${plan.profile}.ts`,
        dir: ctx.dir,
        instance: String(i),
        vars: k6Vars(plan, { apiUrls: ctx.apiUrls, tenants: ctx.tenants, instance: String(i) }),
        ...(n > 1 ? { segment: { segment: `${bounds[i]}:${bounds[i + 1]}`, sequence } } : {}),
        signal: ctx.signal,
      }),
    ),
  );
  const live = setInterval(() => {
    void Promise.all(handles.map((h) => k6Vus(h.apiUrl))).then((vus) =>
      liveStatus(
        ctx,
        plan,
        since,
        handles.map((h) => h.tail),
        vus.reduce((a: number, v) => a + (v ?? 0), 0),
      ),
    );
  }, 1000);
  try {
    return await Promise.all(handles.map((h) => h.done));
  } finally {
    clearInterval(live);
  }
}

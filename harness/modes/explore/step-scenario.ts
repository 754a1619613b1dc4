/**
 * A run of steps as a scenario: fresh tenants seeded like any scenario's, the family's faults set
 * up (none started), one worker that drives the steps through the interpreter while the model
 * judges each (kept in the final state for the `step-model` checker), then the usual heal → quiesce
 * → final reads → checkers. A PostgreSQL freeze is healed once it has held `FREEZE_HOLD_STEPS`
 * steps (the heal is a performed step like any). The same lifecycle serves a fast-check run, a
 * shrink attempt, a replay and a recorded counterexample.
 */
import fc from 'fast-check';
import { stepModel } from '../../checkers/step-model.ts';
import type { Fault } from '../../faults/fault.ts';
import { faultCatalog } from '../../faults/catalog.ts';
import { faultPackage } from '../../faults/schedule.ts';
import { SOURCE_FAULT } from '../../core/vocabulary.ts';
import { FINAL_UNANSWERED_LIMIT, finalCacheReads, seedTenants } from '../../workload/cpq-steps.ts';
import { availableAfterRecovery } from '../../checkers/available-after-recovery.ts';
import { once } from '../../workload/generators.ts';
import { performStep, type StepTarget } from '../../workload/step-interpreter.ts';
import { ExploreModel, type ModelViolation } from '../../workload/step-model.ts';
import type { Step } from '../../workload/steps.ts';
import { noopScenario, type Scenario } from '../../runner/scenario.ts';
import type { ExploreFamily } from './family.ts';

/** Runs steps: given a way to perform one (skipped when not applicable), performs them in order. */
export type Driver = (perform: (step: Step) => Promise<void>, model: ExploreModel, target: StepTarget) => Promise<void>;

/** What a run of steps did: the steps it performed, and the model's violations. */
export interface StepRunRecord {
  performed: Step[];
  violations: ModelViolation[];
}

/** A driver over a fixed list (a replayed or recorded counterexample). */
export const fixedSteps =
  (steps: readonly Step[]): Driver =>
  async (perform) => {
    for (const step of steps) await perform(step);
  };

/**
 * The steps every drawn sequence starts with: a quote ready for what the family judges — priced at
 * 20% off (over the seeded 10% policy) for the cache family, so two drawn steps (a publish, a
 * submit) already race; accepted for the messaging family, so one drawn convert already counts.
 * Part of the sequence (printed, replayed), never shrunk away.
 */
export function openingSteps(family: ExploreFamily): Step[] {
  const quote = { kind: 'create-quote', tenant: 0, offering: 'router', quantity: 2 } as const;
  const priced: Step = { ...quote, discountPct: 20, upTo: 'priced' };
  const accepted: Step = { ...quote, discountPct: 0, upTo: 'accepted' };
  return { cache: [priced], messaging: [accepted], all: [priced, accepted] }[family.name];
}

/**
 * Steps a freeze of the source of truth (PostgreSQL paused or black-holed) may stay in effect after
 * the step that started it before it is healed, drawn heal or not. Each step under it waits out the
 * system's connect budget (about 3 s), and every sequence running at once shares the freeze: seed 1
 * at 12 at once held a round 50 s on two freezes drawn over ten steps and more. Three steps are
 * still three times the budget. Redis and Kafka freezes are left as drawn: a step does not wait
 * them out, and a Redis freeze is the window availability-under-cache-outage judges in. Counted in
 * steps, not time, so a sequence runs the same alone, among others and replayed.
 */
export const FREEZE_HOLD_STEPS = 3;

/**
 * Performs a drawn step (resolved; skipped when the model finds it not applicable), first healing
 * every freeze of `freezes` that has held `FREEZE_HOLD_STEPS` steps.
 */
export function healingFreezes(
  model: ExploreModel,
  freezes: ReadonlySet<string>,
  perform: (step: Step) => Promise<void>,
): (drawn: Step) => Promise<void> {
  return async (drawn) => {
    for (const fault of model.heldOver(freezes, FREEZE_HOLD_STEPS))
      await perform({ kind: 'fault', fault, action: 'stop' });
    if (model.applicable(drawn)) await perform(model.resolve(drawn));
  };
}

/** Steps the model judges: converts and submits (a policy publish met by a submit included). */
const judgedByModel = (step: Step) =>
  step.kind === 'convert' ||
  (step.kind === 'create-quote' && step.upTo === 'ordered') ||
  (step.kind === 'quote' && step.action === 'submit') ||
  (step.kind === 'publish-policy' && step.submit !== undefined);

/** Thrown by a step the model found a violation in, so the commands after it do not run. */
class ViolationFound extends Error {}

/**
 * Runs the commands until the model flags a violation: the sequence ends at the step that broke it,
 * so fast-check (which shrinks only the commands that ran) never spends live runs removing the
 * steps after it — the heal, quiesce and checkers of the run still follow.
 */
export async function runUntilViolation(
  model: ExploreModel,
  perform: (step: Step) => Promise<void>,
  commands: Iterable<fc.AsyncCommand<ExploreModel, (step: Step) => Promise<void>>>,
): Promise<void> {
  const stopping = async (step: Step) => {
    await perform(step);
    if (model.violations.length > 0) throw new ViolationFound();
  };
  try {
    await fc.asyncModelRun(() => ({ model, real: stopping }), commands);
  } catch (error) {
    if (!(error instanceof ViolationFound)) throw error;
  }
}

/** What every step run needs of the system: the family's faults. */
export function stepRequirements(family: ExploreFamily): Scenario['requires'] {
  const catalog = faultCatalog();
  return family.faults.flatMap((name) => catalog.get(name)?.requires ?? []);
}

/** The scenario that runs `drive` on the family's tenants and faults, recording into `record`. */
export function stepScenario(name: string, family: ExploreFamily, drive: Driver, record: StepRunRecord): Scenario {
  const catalog = faultCatalog();
  const faults = new Map<string, Fault>(family.faults.map((n) => [n, (catalog.get(n) as { fault: Fault }).fault]));
  // A crash between two writes is met by an order through every instance the moment it is armed.
  const crossing = new Set(family.faults.filter((n) => catalog.get(n)?.class === 'between-writes'));
  // A clock jump is spanned by state cached before it and a publish after it, read back later.
  const spanning = new Set(family.faults.filter((n) => catalog.get(n)?.class === 'clock'));
  const freezes = new Set(family.faults.filter((n) => catalog.get(n)?.class === 'freeze' && SOURCE_FAULT.test(n)));
  return {
    ...noopScenario,
    name,
    family: `explore-${family.name}`,
    purpose: `a run of steps explored over the ${family.name} family`,
    tags: ['explore'],
    checkers: [...family.checkers, stepModel],
    faultNames: family.faults,
    requires: stepRequirements(family),
    tenants: family.tenants,
    concurrency: 1,
    timeLimitS: 600,
    parameters: family.parameters,
    // A policy of 10%: quotes drawn at 20% off need approval, so no-approval-bypass has cases to judge.
    setup: (ctx) => seedTenants(ctx, [10]),
    // Started and healed by steps; the budgets they are sized from are checked before anything starts.
    faults: Object.assign(() => [...faults.values()].map((fault) => faultPackage(fault, [])), {
      needs: {
        budgets: [...new Set(family.faults.flatMap((n) => catalog.get(n)?.budgets ?? []))],
        minSpanMs: () => 0,
      },
    }),
    workload: (ctx) => [
      {
        name: 'steps',
        concurrency: 1,
        gen: once(async () => {
          const model = new ExploreModel(new Set(faults.keys()), ctx.tenants);
          const pending: Promise<unknown>[] = [];
          const target: StepTarget = {
            ctx,
            faults,
            ...(family.readBackMs ? { readBack: { afterMs: family.readBackMs, pending } } : {}),
            crossing,
            spanning,
          };
          const observed = (ctx.finalState.observations.stepModel ??= { judged: 0, violations: [] });
          await drive(
            healingFreezes(model, freezes, async (step) => {
              if (ctx.signal.aborted) return;
              record.performed.push(step);
              const violations = await performStep(target, model, step);
              record.violations.push(...violations);
              observed.violations.push(...violations);
              if (judgedByModel(step)) observed.judged++;
            }),
            model,
            target,
          );
          // The background read-backs belong to the run: they finish before the heal.
          await Promise.all(pending);
        }),
      },
    ],
    finalReads: async (ctx) => {
      // Every family judges available-after-recovery: the first unanswered final read fails the run.
      const giveUpAfter = family.checkers.includes(availableAfterRecovery) ? FINAL_UNANSWERED_LIMIT : undefined;
      if (family.name !== 'messaging') await finalCacheReads(ctx, giveUpAfter);
    },
  };
}

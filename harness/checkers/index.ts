/**
 * The checker registry: every implemented invariant of contract section 6 (and `step-model`, the
 * exploration model's rules), by name. Scenarios name
 * the checkers they run; `analyze` re-runs them on a stored history.
 */
import type { Checker } from '../core/checker.ts';
import { availabilityUnderCacheOutage } from './availability-under-cache-outage.ts';
import { availableAfterRecovery } from './available-after-recovery.ts';
import { badInputRejected } from './bad-input-rejected.ts';
import { boundedStaleness } from './bounded-staleness.ts';
import { effectsExactlyOnce } from './effects-exactly-once.ts';
import { idempotentReplay } from './idempotent-replay.ts';
import { noApprovalBypass } from './no-approval-bypass.ts';
import { noLostEvents } from './no-lost-events.ts';
import { noStaleSubmit } from './no-stale-submit.ts';
import { singleOrderPerQuote } from './single-order-per-quote.ts';
import { stampedeBound } from './stampede-bound.ts';
import { stepModel } from './step-model.ts';
import { tenantIsolation } from './tenant-isolation.ts';

export const CHECKERS: ReadonlyMap<string, Checker> = new Map(
  [
    noStaleSubmit,
    noApprovalBypass,
    tenantIsolation,
    boundedStaleness,
    stampedeBound,
    availabilityUnderCacheOutage,
    availableAfterRecovery,
    singleOrderPerQuote,
    idempotentReplay,
    noLostEvents,
    effectsExactlyOnce,
    badInputRejected,
    stepModel,
  ].map((c) => [c.name, c]),
);

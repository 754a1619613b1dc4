/**
 * `availability-under-cache-outage`: while Redis is unreachable, frozen or refusing writes (nemesis
 * fault windows whose fault names `parameters.cacheOutageFaults` lists, default `CACHE_OUTAGE_FAULTS`), the
 * commands invoked inside them complete ok or with a legitimate business rejection (a `fail` whose
 * code is a 4xx business problem). 5xx, timeouts and lost connections (`info`) count against it —
 * except a timeout of a client told to give up early (`clientTimeoutMs` in the op: a retry test's
 * short first attempt), which says nothing of the system and is not counted at all; nor is a command
 * whose life overlaps a fault of the source of truth (PostgreSQL paused, locked or slowed) or one that
 * takes an API instance down (killed, crashed at a failpoint): the promise is that losing Redis
 * stops no command, and a command stalled by its database or sent to a dead instance says nothing
 * of the cache.
 *
 * The bound is the system's promise (contract section 4: "losing all of Redis … stops no
 * command"): every command, `parameters.minAvailability` = 1 unless a scenario allows less.
 * Opportunities: commands invoked during an outage; unknown with fewer than
 * `parameters.minOutageCommands` (default 20).
 */
import { resultOf, unknown, type Anomaly, type Checker, type FinalState } from '../core/checker.ts';
import { pairOps, type Op } from '../core/op.ts';
import { CACHE_OUTAGE_FAULTS, COMMANDS, faultWindows, instanceDown, SOURCE_FAULT } from '../core/vocabulary.ts';

/** Rejections that are the business saying no, not the system failing. */
export const BUSINESS_REJECTIONS = new Set([
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'OFFERING_INACTIVE',
  'PRICE_NOT_FOUND',
  'REVISION_CONFLICT',
  'QUOTE_PRICING_STALE',
  'CATALOG_VERSION_STALE',
  'APPROVAL_POLICY_STALE',
  'INVALID_STATE',
  'APPROVAL_REQUIRED',
  'IDEMPOTENCY_KEY_REUSED',
  'QUOTE_ALREADY_CONVERTED',
]);

export const availabilityUnderCacheOutage: Checker = {
  name: 'availability-under-cache-outage',
  check(history: readonly Op[], finalState: FinalState) {
    const faults = new Set(finalState.parameters.cacheOutageFaults ?? CACHE_OUTAGE_FAULTS);
    const minimum = finalState.parameters.minOutageCommands ?? 20;
    const required = finalState.parameters.minAvailability ?? 1;
    const windows = faultWindows(history).filter((w) => faults.has(w.fault));
    const invoked = pairOps(history).filter(
      (p) =>
        (COMMANDS as readonly string[]).includes(p.invoke.f) &&
        windows.some((w) => p.invoke.time >= w.start && p.invoke.time <= w.end),
    );
    const gaveUp = (p: (typeof invoked)[number]) =>
      p.invoke.value.clientTimeoutMs !== undefined && p.completion?.type === 'info' && p.completion.error === 'timeout';
    const end = history.at(-1)?.time ?? 0;
    const sourceWindows = faultWindows(history).filter((w) => SOURCE_FAULT.test(w.fault) || instanceDown(w));
    const sourceFaulted = (p: (typeof invoked)[number]) =>
      sourceWindows.some((w) => p.invoke.time <= w.end && (p.completion?.time ?? end) >= w.start);
    const counted = invoked.filter((p) => !gaveUp(p));
    const inside = counted.filter((p) => !sourceFaulted(p));
    const bad = inside.filter(
      (p) =>
        !(
          p.completion?.type === 'ok' ||
          (p.completion?.type === 'fail' && BUSINESS_REJECTIONS.has(p.completion.error ?? ''))
        ),
    );
    const ratio = inside.length === 0 ? 0 : (inside.length - bad.length) / inside.length;
    const stats = {
      outageWindows: windows.length,
      commands: inside.length,
      failed: bad.length,
      availability: Number(ratio.toFixed(4)),
      required,
      clientGaveUp: invoked.length - counted.length,
      duringSourceFault: counted.length - inside.length,
    };
    if (windows.length === 0) return unknown('no cache outage happened', stats);
    if (inside.length < minimum)
      return unknown(`only ${inside.length} commands ran during the outage (need ${minimum})`, stats, inside.length);
    const anomalies: Anomaly[] =
      ratio >= required
        ? []
        : bad.map((p) => ({
            kind: 'unavailable-during-cache-outage',
            message: `${p.invoke.f} during a cache outage ended ${p.completion?.type ?? 'never'}${p.completion?.error ? ` (${p.completion.error})` : ''}`,
            ops: [p.invoke.index, ...(p.completion ? [p.completion.index] : [])],
          }));
    return resultOf(anomalies, stats, inside.length, 'commands during a cache outage');
  },
};

/**
 * The workload's op vocabulary: which `f` names exist and what their values hold. Workload
 * generators write these; checkers read them. A completion's value is the invocation's value plus
 * what the response said.
 *
 * | f | invocation value | added on ok |
 * |---|---|---|
 * | `publish` | tenant, domain (catalog, pricing, policy), content | version |
 * | `create-quote` | tenant, items [{offeringId, quantity, discountPct}] | quoteId |
 * | `price`, `submit`, `approve`, `accept` | tenant, quoteId | state, catalogVersion, priceListVersion, policyVersion |
 * | `convert` | tenant, quoteId, key | status, body |
 * | `read-price` | tenant, offeringId, currency, phase? | unitPriceCents, priceListVersion |
 * | `read-offering` | tenant, offeringId, phase? | name, catalogVersion |
 * | `start-fault`, `stop-fault` (process `nemesis`) | fault, target | |
 *
 * Publish content: catalog `{offerings: {id: name}}`, pricing `{currency, prices: {id: cents}}`,
 * policy `{maxDiscountPct}`. A `fail` carries the problem code in `error`.
 */
import type { Op, OpPair } from './op.ts';

export type Domain = 'catalog' | 'pricing' | 'policy';

/** Commands (what availability counts), as opposed to browse reads. */
export const COMMANDS = ['create-quote', 'price', 'submit', 'approve', 'accept', 'convert'] as const;

/** Read ops of the cache's browse path, with the domain they read. */
export const READS: Record<string, Domain> = { 'read-price': 'pricing', 'read-offering': 'catalog' };

/** Faults that take Redis away from the system: refused, killed, frozen, black-holed, refusing writes. */
export const CACHE_OUTAGE_FAULTS = [
  'redis-outage',
  'redis-kill',
  'redis-pause',
  'redis-blackhole',
  'redis-refuses-writes',
] as const;

/**
 * Faults of the source of truth itself (PostgreSQL frozen, killed, cut off, black-holed, refusing):
 * what a request does while one is in effect says nothing of the cache.
 */
export const SOURCE_FAULT = /^(api-)?postgres-/;

/** A fault that takes an API instance itself down (killed, crashed at a failpoint): its requests fail for that alone. */
export function instanceDown(window: Pick<FaultWindow, 'fault' | 'target'>): boolean {
  return /^api-\d/.test(window.target ?? '') && (window.fault.endsWith('-kill') || window.fault === 'failpoint-crash');
}

/** The error of a request its own client cancelled (a load tool stopping its users): not the system's failure. */
export const CLIENT_CANCELLED = 'cancelled by the client';

/** A completion that says the system did not answer properly: no answer, or a 5xx (client cancellations aside). */
export function systemError(done: Op | undefined): boolean {
  if (!done) return true;
  if (done.error === CLIENT_CANCELLED) return false;
  const status = done.value.status;
  return done.type === 'info' || (done.type === 'fail' && (typeof status !== 'number' || status >= 500));
}

/** The value a completed pair ended with (invocation value if it never completed). */
export function valueOf(pair: OpPair): Record<string, unknown> {
  return pair.completion?.value ?? pair.invoke.value;
}

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * A fault window: from the invocation of a nemesis `start-fault` to the matching `stop-fault`'s ok
 * (or the end). It opens when the start is asked for, not when it is acknowledged: a fault takes
 * effect somewhere between the two (Redis is already down before the kill returns), and an op of
 * another worker or another sequence can overlap that span. A start that ended `info` opens one
 * too: it may have taken effect half-way (a toxic on one proxy of two), and the nemesis heals it.
 */
export interface FaultWindow {
  fault: string;
  target?: string;
  start: number;
  end: number;
  ops: number[];
  /** Copied from the round before (explore's overlapping rounds): it ended before this history's own ops. */
  carried?: true;
}

/** Whether a fault action was copied from the round before (run-round.ts). */
const carriedFlag = (op: Op) => (op.value.carried === true ? { carried: true as const } : {});

/** Fault windows recorded by the nemesis, in nanoseconds. */
export function faultWindows(history: readonly Op[]): FaultWindow[] {
  const asked = new Map<string, Op>();
  const open = new Map<string, { at: number; op: Op }>();
  const windows: FaultWindow[] = [];
  const end = history.length > 0 ? (history[history.length - 1] as Op).time : 0;
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    const key = `${str(op.value.fault)}:${str(op.value.target) ?? ''}`;
    if (op.f === 'start-fault' && op.type === 'invoke') asked.set(key, op);
    if (op.f === 'start-fault' && op.type !== 'invoke' && !open.has(key)) {
      open.set(key, { at: (asked.get(key) ?? op).time, op });
      asked.delete(key);
    }
    if (op.f === 'stop-fault' && op.type === 'ok') {
      const start = open.get(key);
      if (start) {
        windows.push({
          fault: str(op.value.fault) ?? '?',
          target: str(op.value.target),
          start: start.at,
          end: op.time,
          ops: [start.op.index, op.index],
          ...carriedFlag(start.op),
        });
        open.delete(key);
      }
    }
  }
  for (const start of open.values()) {
    windows.push({
      fault: str(start.op.value.fault) ?? '?',
      target: str(start.op.value.target),
      start: start.at,
      end,
      ops: [start.op.index],
      ...carriedFlag(start.op),
    });
  }
  return windows;
}

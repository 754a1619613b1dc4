/**
 * kafkajs 2.2.4 spins while idle (tulios/kafkajs#1556 and #1704; the fix of its open PR #1667):
 * `RequestQueue.scheduleCheckPendingRequests` sets a timer even when no request is pending, with a
 * negative delay, so every open connection re-checks its empty queue about once a millisecond for
 * as long as it lives. Measured idle here: each API instance, consumer process and the relay burnt
 * 5–9% of a core on it. A pending request is checked again when one in flight is answered or times
 * out, and a new one is sent at once or queued (which schedules a check), so a timer is needed only
 * while something is pending — that is all this changes. kafkajs has had no release since 2.2.4;
 * the patch refuses any other version rather than guess at its internals.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const FIXED_VERSION = '2.2.4';
/** kafkajs's own CHECK_PENDING_REQUESTS_INTERVAL (ms). */
const CHECK_INTERVAL_MS = 10;

interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** The fixed method: a timer only while requests are pending (at the throttle's end, else soon). */
export function scheduleCheckPendingRequests(this: RequestQueueLike): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const throttledFor = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttledFor > 0 ? throttledFor : CHECK_INTERVAL_MS,
  );
}

let applied = false;

/** Patches the installed kafkajs once; false (and untouched) when it is not the version this fixes. */
export function fixKafkajsIdleSpin(): boolean {
  if (applied) return true;
  const version = (require('kafkajs/package.json') as { version: string }).version;
  if (version !== FIXED_VERSION) return false;
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueLike };
  if (typeof RequestQueue.prototype.scheduleCheckPendingRequests !== 'function') return false;
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  applied = true;
  return true;
}

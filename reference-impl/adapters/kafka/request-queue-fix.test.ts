// Unit: kafkajs's request queue, patched, sets no timer while nothing is pending (unpatched it
// re-arms one every millisecond), still re-checks a pending request soon or when a throttle ends,
// and is still answered end to end by a real RequestQueue instance with a request in flight.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixKafkajsIdleSpin, scheduleCheckPendingRequests } from './request-queue-fix.ts';

const require = createRequire(import.meta.url);

function queue(pending: unknown[], throttledUntil = -1) {
  return { pending, throttledUntil, throttleCheckTimeoutId: null, checkPendingRequests: vi.fn() } as {
    pending: unknown[];
    throttledUntil: number;
    throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
    checkPendingRequests: ReturnType<typeof vi.fn>;
    scheduleCheckPendingRequests: () => void;
  };
}

afterEach(() => vi.useRealTimers());

describe('scheduleCheckPendingRequests (fixed)', () => {
  it('arms no timer while nothing is pending', () => {
    vi.useFakeTimers();
    const q = queue([]);
    scheduleCheckPendingRequests.call(q);
    expect(q.throttleCheckTimeoutId).toBeNull();
    vi.advanceTimersByTime(100);
    expect(q.checkPendingRequests).not.toHaveBeenCalled();
  });

  it('re-checks a pending request after 10 ms, or when the throttle ends', () => {
    vi.useFakeTimers();
    const soon = queue([{}]);
    scheduleCheckPendingRequests.call(soon);
    vi.advanceTimersByTime(9);
    expect(soon.checkPendingRequests).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(soon.checkPendingRequests).toHaveBeenCalledTimes(1);
    expect(soon.throttleCheckTimeoutId).toBeNull();

    const throttled = queue([{}], Date.now() + 250);
    scheduleCheckPendingRequests.call(throttled);
    vi.advanceTimersByTime(249);
    expect(throttled.checkPendingRequests).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(throttled.checkPendingRequests).toHaveBeenCalledTimes(1);
  });
});

describe('fixKafkajsIdleSpin', () => {
  it('stops a real idle RequestQueue from re-arming its timer, and it still sends and answers', async () => {
    const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as new (o: object) => {
      push(r: object): void;
      fulfillRequest(r: object): void;
      checkPendingRequests(): void;
      destroy(): void;
      throttleCheckTimeoutId: unknown;
    };
    const logger = { debug: () => undefined, warn: () => undefined, error: () => undefined };
    const make = () =>
      new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1000, clientId: 'c', broker: 'b', logger });
    const spins = (q: ReturnType<typeof make>) => {
      const calls = vi.spyOn(q, 'checkPendingRequests');
      q.checkPendingRequests(); // what answering a request does
      return new Promise<number>((resolve) =>
        setTimeout(() => {
          const n = calls.mock.calls.length - 1;
          calls.mockRestore();
          q.destroy();
          resolve(n);
        }, 100),
      );
    };
    const before = await spins(make());
    expect(fixKafkajsIdleSpin()).toBe(true);
    const after = await spins(make());
    expect(before).toBeGreaterThan(20); // unpatched: a re-check every ~1 ms for 100 ms
    expect(after).toBe(0);

    // A request still goes out and is answered; a second one waits its turn (one in flight) and follows.
    const q = make();
    const sent: number[] = [];
    const answers: unknown[] = [];
    const request = (correlationId: number) => ({
      entry: { correlationId, resolve: (r: unknown) => answers.push(r), reject: () => undefined },
      expectResponse: true,
      sendRequest: () => sent.push(correlationId),
    });
    q.push(request(1));
    q.push(request(2));
    expect(sent).toEqual([1]);
    q.fulfillRequest({ correlationId: 1, payload: Buffer.from('a'), size: 1 });
    expect(sent).toEqual([1, 2]);
    q.fulfillRequest({ correlationId: 2, payload: Buffer.from('b'), size: 1 });
    expect(answers).toHaveLength(2);
    q.destroy();
  });
});

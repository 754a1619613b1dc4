// Unit: a load run's phased figures — cut at the fault window, k6's requests only, errors (no
// answer, 5xx) told from business refusals (4xx), percentiles and rates per phase and op.
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../checkers/testing/history-builder.ts';
import type { Op } from '../../core/op.ts';
import { loadPhases, phasesOf } from './load-phases.ts';

/** A request of `process` taking `ms`, ending as `type`. */
function request(h: HistoryBuilder, process: number | string, f: string, ms: number, end: Partial<Op> = {}): void {
  h.ops.push({ index: h.ops.length, time: h.now, process, type: 'invoke', f, value: {} });
  h.wait(ms);
  h.ops.push({ index: h.ops.length, time: h.now, process, type: 'ok', f, value: {}, ...end });
}

describe('load phases', () => {
  it('cut the run at the fault window and count each request in the phase it started', () => {
    const h = new HistoryBuilder();
    request(h, 'k6-0-1', 'read-price', 10);
    request(h, 'k6-0-2', 'read-price', 20);
    request(h, 0, 'publish', 5); // the harness's publisher: not a k6 request
    h.fault('start', 'redis-kill');
    request(h, 'k6-0-1', 'read-price', 300, { type: 'fail', value: {}, error: 'timeout' });
    request(h, 'k6-0-2', 'submit', 40, { type: 'fail', value: { status: 409 }, error: 'QUOTE_PRICING_STALE' });
    request(h, 'k6-0-2', 'submit', 40, { type: 'info', value: { status: 503 }, error: 'HTTP 503' });
    h.fault('stop', 'redis-kill');
    request(h, 'k6-0-1', 'read-price', 12);
    // k6 stopped while this one was out (a breakpoint's abort): no answer recorded, not an error.
    h.ops.push({ index: h.ops.length, time: h.now, process: 'k6-0-2', type: 'invoke', f: 'read-price', value: {} });
    const rows = loadPhases(h.ops);
    expect(rows.map((r) => [r.phase, r.op, r.requests, r.errors])).toEqual([
      ['before faults', 'read-price', 2, 0],
      ['during redis-kill', 'read-price', 1, 1],
      ['during redis-kill', 'submit', 2, 1],
      ['after redis-kill', 'read-price', 2, 0],
    ]);
    expect(rows[0]).toMatchObject({ p50Ms: 10, p95Ms: 20, p99Ms: 20 });
    expect(rows[1]?.p95Ms).toBe(300);
  });

  it('split the ramp up and the ramp down off the first and last phase when the profile ramps', () => {
    const h = new HistoryBuilder();
    const origin = h.now;
    request(h, 'k6-0-1', 'read-price', 100); // ramp up: 0–2 s
    h.wait(2500);
    request(h, 'k6-0-1', 'read-price', 10); // holding, before the fault
    h.fault('start', 'redis-kill');
    request(h, 'k6-0-1', 'read-price', 10);
    h.fault('stop', 'redis-kill');
    request(h, 'k6-0-1', 'read-price', 10); // after the heal, still holding
    h.wait((origin + 8e9 - h.now) / 1e6);
    request(h, 'k6-0-1', 'read-price', 50); // ramp down: after 2 + 6 s
    const stages = { rampUpS: 2, holdS: 6 };
    expect(loadPhases(h.ops, stages).map((r) => [r.phase, r.requests, r.p95Ms])).toEqual([
      ['ramp up', 1, 100],
      ['before faults', 1, 10],
      ['during redis-kill', 1, 10],
      ['after redis-kill', 1, 10],
      ['ramp down', 1, 50],
    ]);
    // Without faults the hold is `run`; a ramp longer than the run leaves the phases as they are.
    expect(phasesOf([], 0, 10e9, stages).map((c) => [c.name, c.start, c.end])).toEqual([
      ['ramp up', 0, 2e9],
      ['run', 2e9, 8e9],
      ['ramp down', 8e9, 10e9],
    ]);
    expect(phasesOf([], 0, 1e9, stages).map((c) => c.name)).toEqual(['run']);
  });

  it('have one phase without faults, and nothing without k6 requests', () => {
    const h = new HistoryBuilder();
    request(h, 0, 'publish', 5);
    expect(loadPhases(h.ops)).toEqual([]);
    expect(phasesOf([], 0, 10).map((c) => c.name)).toEqual(['run']);
  });
});

// Unit: fault windows — a window opens when its start is asked for (not acknowledged), a start that
// ended info opens one too, a stop that ended info leaves it open to the end, and windows of
// different faults interleave as the shared nemesis records them.
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from './testing/history-builder.ts';
import { faultWindows } from '../core/vocabulary.ts';

const ms = 1_000_000;

describe('faultWindows', () => {
  it('opens a window at the start invocation and closes it at the stop acknowledgement', () => {
    const h = new HistoryBuilder();
    h.faultAsked('start', 'postgres-pause', 'postgres'); // 1 ms
    h.call(0, 'submit', { tenant: 't' }); // 2–3 ms, while the start is under way
    h.faultEnded('start', 'postgres-pause', 'postgres'); // 4 ms
    h.faultAsked('stop', 'postgres-pause', 'postgres'); // 5 ms
    h.faultEnded('stop', 'postgres-pause', 'postgres'); // 6 ms
    expect(faultWindows(h.ops)).toEqual([
      { fault: 'postgres-pause', target: 'postgres', start: 1 * ms, end: 6 * ms, ops: [3, 5] },
    ]);
  });

  it('opens a window for a start that ended info, and leaves open to the end one whose stop ended info', () => {
    const h = new HistoryBuilder();
    h.faultAsked('start', 'latency', 'toxiproxy');
    h.faultEnded('start', 'latency', 'toxiproxy', 'info');
    h.faultAsked('stop', 'latency', 'toxiproxy');
    h.faultEnded('stop', 'latency', 'toxiproxy', 'info');
    h.call(0, 'read-price', { tenant: 't' });
    expect(faultWindows(h.ops)).toEqual([
      { fault: 'latency', target: 'toxiproxy', start: 1 * ms, end: 6 * ms, ops: [1] },
    ]);
  });

  it('pairs interleaved actions of different faults by fault and target', () => {
    const h = new HistoryBuilder();
    h.faultAsked('start', 'redis-kill');
    h.faultAsked('start', 'api-1-kill', 'api-1');
    h.faultEnded('start', 'api-1-kill', 'api-1');
    h.faultEnded('start', 'redis-kill');
    h.faultAsked('stop', 'redis-kill');
    h.faultEnded('stop', 'redis-kill');
    h.fault('stop', 'api-1-kill', 'api-1'); // a recorded ok without its invocation still closes
    const windows = faultWindows(h.ops).map((w) => [w.fault, w.start / ms, w.end / ms]);
    expect(windows).toEqual([
      ['redis-kill', 1, 6],
      ['api-1-kill', 2, 7],
    ]);
  });

  it("marks a window carried from the round before (explore's overlapping rounds), and pairs it as any other", () => {
    const h = new HistoryBuilder();
    h.fault('start', 'redis-kill');
    h.fault('stop', 'redis-kill');
    for (const op of h.ops) op.value.carried = true;
    h.fault('start', 'relay-kill', 'relay');
    expect(faultWindows(h.ops).map((w) => [w.fault, w.carried ?? false])).toEqual([
      ['redis-kill', true],
      ['relay-kill', false],
    ]);
  });
});

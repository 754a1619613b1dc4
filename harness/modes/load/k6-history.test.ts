// Unit: k6's history lines → ops — an invoke and its completion classified like the harness's own
// clients' (ok with the picked fields, fail with the code, info for an unanswered command), placed
// on the history's clock; a file followed while it grows, partial lines waiting for their end,
// foreign lines kept aside and malformed lines of ours counted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { HistoryWriter } from '../../core/history.ts';
import { CLIENT_CANCELLED, systemError } from '../../core/vocabulary.ts';
import { K6_PREFIX, K6HistoryTail, parseK6Line } from './k6-history.ts';

const line = (fields: Record<string, unknown>) => `${K6_PREFIX}${JSON.stringify(fields)}`;

describe('k6 history lines', () => {
  it('turn into invokes and completions classified as the harness classifies its own', () => {
    const value = { tenant: 't0', offeringId: 'router', currency: 'USD' };
    expect(parseK6Line(JSON.stringify({ t: 5, p: 'k6-0-3', type: 'invoke', f: 'read-price', value }))).toEqual({
      atMs: 5,
      op: { process: 'k6-0-3', type: 'invoke', f: 'read-price', value },
    });
    const ok = parseK6Line(
      JSON.stringify({
        t: 9,
        p: 'k6-0-3',
        type: 'done',
        f: 'read-price',
        value,
        status: 200,
        body: { unitPriceCents: 10_001, priceListVersion: 2, tenantId: 't0', quoteId: 'not for a read' },
      }),
    );
    expect(ok.op).toMatchObject({ type: 'ok', value: { ...value, unitPriceCents: 10_001, priceListVersion: 2 } });
    expect(ok.op.value).not.toHaveProperty('quoteId');
    const stale = { t: 9, p: 'p', type: 'done', f: 'submit', value: { tenant: 't', quoteId: 'q' } };
    expect(
      parseK6Line(JSON.stringify({ ...stale, status: 409, body: { code: 'QUOTE_PRICING_STALE' } })).op,
    ).toMatchObject({ type: 'fail', error: 'QUOTE_PRICING_STALE', value: { status: 409 } });
    expect(parseK6Line(JSON.stringify({ ...stale, status: 503, body: {} })).op).toMatchObject({
      type: 'info',
      error: 'HTTP 503 (HTTP 503)',
    });
    expect(parseK6Line(JSON.stringify({ ...stale, status: 0, error: 'request timeout' })).op).toMatchObject({
      type: 'info',
      error: 'timeout',
    });
    expect(
      parseK6Line(JSON.stringify({ ...stale, f: 'read-offering', status: 0, error: 'dial: connection refused' })).op,
    ).toMatchObject({ type: 'fail', error: 'dial: connection refused' });
  });

  it('tell a request k6 cancelled itself (its users stopping) from one the system did not answer', () => {
    const base = {
      t: 9,
      p: 'p',
      type: 'done',
      f: 'convert',
      value: { tenant: 't', quoteId: 'q', key: 'k' },
      status: 0,
    };
    const cancelled = parseK6Line(JSON.stringify({ ...base, error: 'context canceled' })).op;
    expect(cancelled).toMatchObject({ type: 'info', error: CLIENT_CANCELLED });
    expect(systemError({ ...cancelled, index: 1, time: 1 })).toBe(false);
    const refused = parseK6Line(JSON.stringify({ ...base, error: 'dial tcp: connection refused' })).op;
    expect(systemError({ ...refused, index: 1, time: 1 })).toBe(true);
  });

  it('refuse what is not one, with the reason', () => {
    expect(() => parseK6Line('[1]')).toThrow('not a JSON object');
    expect(() => parseK6Line(JSON.stringify({ t: 1, p: 'p', type: 'invoke', f: 'teleport', value: {} }))).toThrow(
      'unknown op "teleport"',
    );
    expect(() => parseK6Line(JSON.stringify({ t: 1, p: 'p', type: 'maybe', f: 'submit', value: {} }))).toThrow(
      'type must be invoke or done',
    );
    expect(() => parseK6Line(JSON.stringify({ t: 'x', p: 'p', type: 'invoke', f: 'submit', value: {} }))).toThrow(
      't must be a time',
    );
  });

  it('are followed in a growing file and appended on the history clock', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k6-tail-'));
    const file = path.join(dir, 'console.log');
    const history = new HistoryWriter(path.join(dir, 'history.jsonl'));
    const tail = new K6HistoryTail(file, history);
    tail.poll(); // no file yet: nothing, no error
    const value = { tenant: 't', quoteId: 'q', key: 'q-order' };
    const invoke = line({ t: history.epochMs + 1500, p: 'k6-0-1', type: 'invoke', f: 'convert', value });
    fs.writeFileSync(file, `some k6 warning\n${invoke}\n${line({ t: history.epochMs + 1600 }).slice(0, 30)}`);
    tail.poll();
    expect(history.history).toHaveLength(1);
    expect(history.history[0]).toMatchObject({ type: 'invoke', f: 'convert', time: 1_500_000_000 });
    const done = line({
      t: history.epochMs + 1600,
      p: 'k6-0-1',
      type: 'done',
      f: 'convert',
      value,
      status: 201,
      body: { orderId: 'o1' },
    });
    fs.writeFileSync(file, `some k6 warning\n${invoke}\n${done}\n${K6_PREFIX}{broken\n`);
    tail.stop();
    expect(history.history.map((op) => op.type)).toEqual(['invoke', 'ok']);
    expect(history.history[1]).toMatchObject({ time: 1_600_000_000, value: { orderId: 'o1', status: 201 } });
    expect(tail.stats).toEqual({ requests: 1, errors: 0, malformed: 1 });
    expect(tail.otherLines).toEqual(['some k6 warning']);
    history.close();
  });

  it('are placed by the wall clock as it stands when read, so a step of the wall clock before them moves nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k6-tail-'));
    const file = path.join(dir, 'console.log');
    const history = new HistoryWriter(path.join(dir, 'history.jsonl'));
    const tail = new K6HistoryTail(file, history);
    const wall = Date.now;
    // The wall clock jumps 7 s ahead after the history began (a paused VM catching up).
    const stepped = vi.spyOn(Date, 'now').mockImplementation(() => wall() + 7000);
    try {
      fs.writeFileSync(file, `${line({ t: Date.now(), p: 'k6-0-1', type: 'invoke', f: 'submit', value: {} })}\n`);
      tail.stop();
    } finally {
      stepped.mockRestore();
    }
    const [op] = history.history;
    // Placed now on the history's clock: well under a second in, not 7 s.
    expect(op?.time).toBeLessThan(1e9);
    expect(op?.time).toBeGreaterThanOrEqual(0);
    history.close();
  });
});

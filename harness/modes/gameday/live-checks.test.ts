// Unit: the game day's live `checkers` probe on hand-written histories — a valid history counts
// nothing, a violated one counts its anomalies, an op still in flight (or `info`) is undecided and
// counts nothing, checkers that need final reads are left out, and the count follows a growing history.
import { describe, expect, it } from 'vitest';
import { idempotentReplay } from '../../checkers/idempotent-replay.ts';
import { noLostEvents } from '../../checkers/no-lost-events.ts';
import { singleOrderPerQuote } from '../../checkers/single-order-per-quote.ts';
import { final, HistoryBuilder } from '../../checkers/testing/history-builder.ts';
import type { Op } from '../../core/op.ts';
import { countViolations, liveViolations } from './live-checks.ts';

const convert = { tenant: 't', quoteId: 'q1', key: 'k1' };
const CHECKERS = [idempotentReplay, singleOrderPerQuote, noLostEvents];

describe('live checker violations', () => {
  it('counts nothing on a valid history (a replay answers the first order)', () => {
    const h = new HistoryBuilder();
    h.call(1, 'convert', convert, { status: 201, orderId: 'o1' });
    h.call(2, 'convert', convert, { status: 201, orderId: 'o1' });
    expect(countViolations(CHECKERS, h.ops, final())).toEqual({ total: 0, byChecker: {} });
  });

  it('counts the anomalies of a violated history, per checker', () => {
    const h = new HistoryBuilder();
    h.call(1, 'convert', convert, { status: 201, orderId: 'o1' });
    h.call(2, 'convert', convert, { status: 201, orderId: 'o2' });
    const count = countViolations(CHECKERS, h.ops, final());
    expect(count.total).toBeGreaterThan(0);
    expect(Object.keys(count.byChecker)).toEqual(['idempotent-replay']);
  });

  it('leaves a replay still in flight or ambiguous (info) undecided', () => {
    const h = new HistoryBuilder();
    h.call(1, 'convert', convert, { status: 201, orderId: 'o1' });
    h.invoke(2, 'convert', convert);
    h.invoke(3, 'convert', convert);
    h.info(3, 'convert', convert);
    expect(countViolations(CHECKERS, h.ops, final()).total).toBe(0);
  });

  it('runs only the checkers that can judge without final reads', () => {
    expect(CHECKERS.filter((c) => c.live).map((c) => c.name)).toEqual(['idempotent-replay']);
    const throwing = {
      name: 'boom',
      live: true,
      check: (): never => {
        throw new Error('x');
      },
    };
    expect(countViolations([throwing], [], final()).total).toBe(0);
  });

  it('follows a growing history, recounting only when it grew', () => {
    const h = new HistoryBuilder();
    let reads = 0;
    let shown: readonly Op[] = [];
    const count = liveViolations(
      [idempotentReplay],
      {
        length: () => shown.length,
        ops: () => {
          reads++;
          return shown;
        },
      },
      final(),
    );
    h.call(1, 'convert', convert, { status: 201, orderId: 'o1' });
    shown = [...h.ops];
    expect(count()).toBe(0);
    h.invoke(2, 'convert', convert);
    shown = [...h.ops];
    expect(count()).toBe(0);
    h.ok(2, 'convert', { ...convert, status: 201, orderId: 'o9' });
    shown = [...h.ops];
    expect(count()).toBe(1);
    expect(count()).toBe(1);
    expect(reads).toBe(3); // the fourth count found the history as it was: not read again
  });
});

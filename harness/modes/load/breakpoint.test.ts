// Unit: where a load run broke — limits read from k6's thresholds, the first bucket whose p95 or
// error share crossed one, the rate then and the best rate held before; when all held, the highest
// rate held.
import { describe, expect, it } from 'vitest';
import type { ThresholdOutcome } from '../../core/final-state.ts';
import type { Op } from '../../core/op.ts';
import { breakpointOf, limitsOf } from './breakpoint.ts';

const THRESHOLDS: ThresholdOutcome[] = [
  { metric: 'http_req_duration{op:read-price}', expression: 'p(95)<50', ok: false, samples: 100 },
  { metric: 'http_req_duration{op:submit}', expression: 'p(95)<1000', ok: true, samples: 10 },
  { metric: 'http_req_failed', expression: 'rate<0.05', ok: true, samples: 100 },
];

/** `perSecond` reads a second for `seconds` seconds, each taking `ms(second)`; every `failEvery`th gets a 503. */
function reads(seconds: number, perSecond: number, ms: (s: number) => number, failEvery = 0): Op[] {
  const ops: Op[] = [];
  for (let s = 0; s < seconds; s++)
    for (let i = 0; i < perSecond; i++) {
      const start = (s + i / perSecond) * 1e9;
      const process = `k6-0-${i}`;
      const failed = failEvery > 0 && i % failEvery === 0;
      ops.push({ index: ops.length, time: start, process, type: 'invoke', f: 'read-price', value: {} });
      ops.push({
        index: ops.length,
        time: start + ms(s) * 1e6,
        process,
        type: failed ? 'fail' : 'ok',
        f: 'read-price',
        value: failed ? { status: 503 } : {},
        ...(failed ? { error: 'HTTP 503' } : {}),
      });
    }
  return ops;
}

describe('breakpoint', () => {
  it('reads its limits from k6 thresholds', () => {
    const limits = limitsOf(THRESHOLDS);
    expect([...limits.p95]).toEqual([
      ['read-price', 50],
      ['submit', 1000],
    ]);
    expect(limits.errorRate).toBe(0.05);
  });

  it('is the first bucket whose p95 crossed, with the rate then and the best held before', () => {
    // 40 req/s; latency 10 ms until second 6, then 80 ms.
    const broke = breakpointOf(
      reads(10, 40, (s) => (s < 6 ? 10 : 80)),
      THRESHOLDS,
    );
    expect(broke).toEqual({
      broke: { atS: 6, requestsPerSecond: 40, bestHeldPerSecond: 40, what: 'read-price p95 80 ms ≥ 50 ms' },
    });
  });

  it('breaks on the error share too; when everything held, it is the highest rate held; undefined without requests', () => {
    const errors = breakpointOf(
      reads(4, 40, () => 10, 10),
      THRESHOLDS,
    );
    expect(errors && 'broke' in errors ? errors.broke.what : errors).toBe('errors 10.0% ≥ 5.0%');
    expect(
      breakpointOf(
        reads(4, 40, () => 10),
        THRESHOLDS,
      ),
    ).toEqual({ heldPerSecond: 40 });
    expect(breakpointOf([], THRESHOLDS)).toBeUndefined();
  });
});

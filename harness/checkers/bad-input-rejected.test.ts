/** `bad-input-rejected` on hand-written histories: rejected properly, accepted, 5xx, bare errors, unanswered, writes. */
import { describe, expect, it } from 'vitest';
import type { Op } from '../core/op.ts';
import { emptyFinalState } from '../core/final-state.ts';
import { badInputRejected } from './bad-input-rejected.ts';

function history(
  answers: (Partial<Record<'status' | 'contentType' | 'code', unknown>> | 'none')[],
  after = { quotes: 2 },
): Op[] {
  const ops: Op[] = [];
  const add = (op: Omit<Op, 'index' | 'time'>) => ops.push({ ...op, index: ops.length, time: ops.length });
  add({ process: 'setup', type: 'ok', f: 'footprint', value: { phase: 'before', counts: { quotes: 2 } } });
  for (const [i, answer] of answers.entries()) {
    const value = { method: 'POST', path: `/quotes/${i}`, mutation: 'null field' };
    add({ process: 0, type: 'invoke', f: 'hostile', value });
    if (answer === 'none') add({ process: 0, type: 'info', f: 'hostile', value, error: 'timeout' });
    else add({ process: 0, type: 'fail', f: 'hostile', value: { ...value, ...answer } });
  }
  add({ process: 'final', type: 'ok', f: 'footprint', value: { phase: 'after', counts: after } });
  return ops;
}
const problem = { status: 400, contentType: 'application/problem+json; charset=utf-8', code: 'VALIDATION_FAILED' };
const check = (ops: Op[]) => badInputRejected.check(ops, emptyFinalState({}));

describe('bad-input-rejected', () => {
  it('holds when every request is refused with problem+json and nothing was written', () => {
    const result = check(history([problem, { ...problem, status: 404, code: 'NOT_FOUND' }]));
    expect(result).toMatchObject({ valid: true, opportunities: 2 });
  });

  it('convicts an accepted request, a 5xx, a bare 4xx and a write', () => {
    const result = check(
      history(
        [
          { status: 201 },
          { status: 500, code: 'INTERNAL', contentType: 'application/problem+json' },
          { status: 404, contentType: 'text/plain' },
        ],
        {
          quotes: 3,
        },
      ),
    );
    expect(result.valid).toBe(false);
    expect(result.anomalies.map((a) => a.kind).sort()).toEqual([
      'accepted',
      'not-problem-json',
      'server-error',
      'wrote',
    ]);
    expect(result.anomalies.find((a) => a.kind === 'wrote')?.first.message).toBe(
      'malformed requests changed quotes 2 → 3',
    );
  });

  it('counts an unanswered request without judging it; nothing answered is unknown', () => {
    expect(check(history([problem, 'none']))).toMatchObject({
      valid: true,
      opportunities: 1,
      stats: { unanswered: 1 },
    });
    expect(check(history(['none']))).toMatchObject({ valid: 'unknown', opportunities: 0 });
  });

  it('is unknown when the footprint was not read after the requests', () => {
    const ops = history([problem]).filter((op) => op.value.phase !== 'after');
    expect(check(ops)).toMatchObject({
      valid: 'unknown',
      reason: 'the footprint was not read before and after the requests',
    });
  });
});

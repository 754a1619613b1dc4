/**
 * Unit: told to, the final reads through an instance end once it has left FINAL_UNANSWERED_LIMIT in
 * a row unanswered (a 5xx, a timeout), not at the first; a 4xx is an answer and ends nothing; the
 * reads left unmade are counted per instance in the quiesce report, and an instance that answers is
 * read in full. Not told to, every read is made.
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../core/op.ts';
import { emptyFinalState } from '../core/final-state.ts';
import type { WorkloadContext } from './context.ts';
import { FINAL_UNANSWERED_LIMIT, finalCacheReads, readEverything } from './cpq-steps.ts';
import type { Operations } from './operations.ts';
import { CURRENCIES, OFFERING_IDS } from './tenant-data.ts';

const PER_TENANT = OFFERING_IDS.length * (CURRENCIES.length + 1);

/** Reads answered, in order, by `answers` (a status, or 'timeout'); then 200 for the rest. */
function scripted(answers: readonly (number | 'timeout')[]) {
  const made: string[] = [];
  const answer = (f: string): Promise<Op> => {
    const next = answers[made.length] ?? 200;
    made.push(f);
    const op: Op =
      next === 'timeout'
        ? { index: made.length, time: 0, process: 'final-0', type: 'info', f, value: {}, error: 'timeout' }
        : {
            index: made.length,
            time: 0,
            process: 'final-0',
            type: next < 400 ? 'ok' : 'fail',
            f,
            value: { status: next },
          };
    return Promise.resolve(op);
  };
  const ops = {
    readPrice: () => answer('read-price'),
    readOffering: () => answer('read-offering'),
  } as unknown as Operations;
  return { ops, made };
}

describe('final reads', () => {
  it('end after FINAL_UNANSWERED_LIMIT unanswered in a row, and count the reads left unmade', async () => {
    const { ops, made } = scripted(Array<number>(100).fill(503));
    expect(await readEverything(ops, ['t1', 't2'], 'final', FINAL_UNANSWERED_LIMIT)).toBe(
      2 * PER_TENANT - FINAL_UNANSWERED_LIMIT,
    );
    expect(made).toHaveLength(FINAL_UNANSWERED_LIMIT);
  });

  it('go on after fewer in a row, count a timeout as unanswered, and a 4xx as an answer', async () => {
    const { ops, made } = scripted([503, 503, 200, 404, 404, 404, 404, 503, 'timeout', 503]);
    expect(await readEverything(ops, ['t1', 't2'], 'final', 3)).toBe(2 * PER_TENANT - 10);
    expect(made).toHaveLength(10);
    const all = scripted([503, 503, 200, 503, 503]);
    expect(await readEverything(all.ops, ['t1'], 'final', 3)).toBe(0);
    expect(all.made).toHaveLength(PER_TENANT);
  });

  it('read everything when not told to give up', async () => {
    const { ops, made } = scripted(Array<number>(100).fill(503));
    expect(await readEverything(ops, ['t1'])).toBe(0);
    expect(made).toHaveLength(PER_TENANT);
  });

  it('through every instance: the one that stopped answering is read no further, and the quiesce report says how many were left', async () => {
    const answering = scripted([]);
    const broken = scripted(Array<number>(100).fill(502));
    const finalState = emptyFinalState();
    finalState.observations.quiesce = { outboxDrained: true, pointersCaughtUp: true, waitedMs: 1 };
    const ctx = {
      apiUrls: ['http://a', 'http://b'],
      tenants: ['t1', 't2'],
      finalState,
      ops: (_process: string, instance: number) => (instance === 0 ? answering.ops : broken.ops),
    } as unknown as WorkloadContext;
    await finalCacheReads(ctx, FINAL_UNANSWERED_LIMIT);
    expect(answering.made).toHaveLength(2 * PER_TENANT);
    expect(broken.made).toHaveLength(FINAL_UNANSWERED_LIMIT);
    expect(finalState.observations.quiesce.finalReadsLeft).toEqual([
      { instance: 1, reads: 2 * PER_TENANT - FINAL_UNANSWERED_LIMIT },
    ]);
  });

  it('through every instance in full when not told to give up (a scenario that does not judge availability after recovery)', async () => {
    const broken = scripted(Array<number>(100).fill(502));
    const finalState = emptyFinalState();
    finalState.observations.quiesce = { outboxDrained: true, pointersCaughtUp: true, waitedMs: 1 };
    const ctx = {
      apiUrls: ['http://a'],
      tenants: ['t1'],
      finalState,
      ops: () => broken.ops,
    } as unknown as WorkloadContext;
    await finalCacheReads(ctx);
    expect(broken.made).toHaveLength(PER_TENANT);
    expect(finalState.observations.quiesce.finalReadsLeft).toBeUndefined();
  });
});

/**
 * The orders that meet a between-writes fault's start: `CROSSING_ORDERS` quotes through each API
 * instance taken to accepted just before the fault starts, and all of them converted at once just
 * after — the convert is the unit of work that crosses every seam of the class (a crash between its
 * statements, the outbox event a relay or consumer crashes on, a connection cut half-way through
 * its transaction). Walked to accepted before the start, so the fault breaks the converts and not
 * the lifecycle that leads to them.
 */
import type { Op } from '../core/op.ts';
import type { WorkloadContext } from './context.ts';
import { convertQuote, createQuote } from './quote-lifecycle.ts';
import { OFFERING_IDS } from './tenant-data.ts';

/**
 * Orders converted at once through each instance when a between-writes fault starts. One crosses a
 * crash point; a defect that leaks what a broken unit of work holds (a pooled connection, a lock, a
 * claim) shows only once more units break than the resource holds — a pool of the usual default
 * size (10: node-postgres, HikariCP) and as many again, since a cut lets a connection finish a
 * convert or two before it closes (200 to 4000 bytes). Drawn steps seldom put that many inside a
 * cut's window: seed 1 at 12 at once had `postgres-cut` in effect twice in 156 sequences, for 0.1 s
 * and 1 s, and no burst met it. At the start the window is certain, and a replay alone breaks as
 * many as the draw did.
 */
export const CROSSING_ORDERS = 20;

/** One order ready to cross: the ops that took it to accepted, and its convert (nothing if it never got there). */
export interface CrossingOrder {
  ops: Op[];
  convert: () => Promise<Op[]>;
}

/** Takes `CROSSING_ORDERS` quotes of the first tenant to accepted through every instance, all at once, as processes `<who>-crossing-<i>-<j>`. */
export function acceptedEverywhere(ctx: WorkloadContext, who: number | string): Promise<CrossingOrder[]> {
  const tenant = ctx.tenants[0] as string;
  const step = {
    kind: 'create-quote',
    tenant: 0,
    offering: OFFERING_IDS[0] as string,
    quantity: 1,
    discountPct: 0,
    upTo: 'accepted',
  } as const;
  return Promise.all(
    ctx.apiUrls.flatMap((_, i) =>
      Array.from({ length: CROSSING_ORDERS }, async (_, j) => {
        const ops = ctx.ops(`${who}-crossing-${i}-${j}`, i);
        const walked = await createQuote(ctx, step, ops);
        const quoteId = walked[0]?.value.quoteId;
        const last = walked.at(-1);
        const ready = typeof quoteId === 'string' && last?.f === 'accept' && last.type === 'ok';
        return {
          ops: walked,
          convert: async () => (ready ? [await convertQuote(ops, tenant, quoteId)] : []),
        };
      }),
    ),
  );
}

/** Converts every order at once; resolves with every op, the walks to accepted first. */
export async function convertAll(orders: readonly CrossingOrder[]): Promise<Op[]> {
  const converted = await Promise.all(orders.map((order) => order.convert()));
  return [...orders.flatMap((order) => order.ops), ...converted.flat()];
}

/**
 * A quote's lifecycle as ops: created, then walked on (priced, submitted, approved when it must be,
 * accepted, converted) to the stage a step names, stopping at the first request that did not
 * succeed. Shared by the interpreter's create-quote step and the orders that meet a fault's start.
 */
import type { Op } from '../core/op.ts';
import type { WorkloadContext } from './context.ts';
import type { Operations } from './operations.ts';
import type { Step } from './steps.ts';

/** Creates the step's quote through `ops` and walks it on to the step's stage; resolves with every op. */
export async function createQuote(
  ctx: WorkloadContext,
  step: Extract<Step, { kind: 'create-quote' }>,
  ops: Operations,
): Promise<Op[]> {
  const tenant = ctx.tenants[step.tenant % ctx.tenants.length] as string;
  const done: Op[] = [];
  const created = await ops.createQuote(
    tenant,
    [step, ...(step.more ?? [])].map((l) => ({
      offeringId: l.offering,
      quantity: l.quantity,
      discountPct: l.discountPct,
    })),
  );
  done.push(created);
  const quoteId = typeof created.value.quoteId === 'string' ? created.value.quoteId : undefined;
  if (created.type !== 'ok' || !quoteId || step.upTo === 'draft') return done;
  const next = async (action: 'price' | 'submit' | 'approve' | 'accept') => {
    const op = await ops.transition(tenant, quoteId, action);
    done.push(op);
    return op;
  };
  if ((await next('price')).type !== 'ok' || step.upTo === 'priced') return done;
  const submitted = await next('submit');
  if (submitted.type !== 'ok') return done;
  if (submitted.value.state === 'APPROVAL_PENDING' && (await next('approve')).type !== 'ok') return done;
  if ((await next('accept')).type !== 'ok' || step.upTo === 'accepted') return done;
  done.push(await convertQuote(ops, tenant, quoteId));
  return done;
}

/** Converts an accepted quote to its order under the one idempotency key a workload gives that quote's first convert. */
export function convertQuote(ops: Operations, tenant: string, quoteId: string): Promise<Op> {
  return ops.convert(tenant, quoteId, `${quoteId}-a`);
}

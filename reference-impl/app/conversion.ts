/**
 * Converting an accepted quote into an order, idempotent per `Idempotency-Key`: the same key and
 * request get the same status and body; the same key with another request gets 422; another key
 * for a converted quote gets 409 naming the existing order.
 *
 * Three durable guards, all in one transaction: the quote row lock with its state check and the
 * idempotency record (taken in one statement, so a concurrent request with the same key waits for
 * this one's outcome), and the unique order key. Redis only holds a copy of finished responses
 * (fast path).
 *
 * Planted bugs: `convert-not-idempotent` converts naively (no record, no lock, no unique key);
 * `idempotency-redis-only` keeps idempotency only in Redis — and fails open when Redis is gone.
 */
import { DomainError } from '../domain/errors.ts';
import { sha256Of } from '../domain/hashes.ts';
import { convertQuote } from '../domain/quote.ts';
import type { Order, Quote } from '../domain/types.ts';
import type { TxStore } from '../ports/store.ts';
import { keyId } from './cache-keys.ts';
import type { AppContext } from './context.ts';

/** An HTTP outcome that can be stored and replayed. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

const RESPONSE_TTL_MS = 24 * 3600_000;
const CLAIM_TTL_MS = 30_000;

/** The order as the API shows it. */
export function orderView(order: Order): Record<string, unknown> {
  return { ...order };
}

function alreadyConverted(quoteId: string, orders: Order[]): DomainError {
  return new DomainError(
    'QUOTE_ALREADY_CONVERTED',
    `quote ${quoteId} was already converted into order ${orders[0]?.orderId ?? '?'}`,
    'use the existing order; retry with the original Idempotency-Key to get its response',
    { orderId: orders[0]?.orderId, orderIds: orders.map((o) => o.orderId) },
  );
}

function reused(): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    'this Idempotency-Key was already used for a different request',
    'use a new Idempotency-Key for a new request',
  );
}

/**
 * Creates the order from `quote` (read in `tx`; locked unless `naive`) and converts it inside `tx`,
 * storing the response under `idempotencyKey` when given; `naive` skips the revision check.
 */
async function createOrder(
  ctx: AppContext,
  tx: TxStore,
  tenantId: string,
  quoteId: string,
  quote: Quote | undefined,
  naive: boolean,
  idempotencyKey?: string,
): Promise<StoredResponse> {
  if (!quote) throw new DomainError('NOT_FOUND', `no quote ${quoteId}`);
  if (quote.state === 'CONVERTED') throw alreadyConverted(quoteId, await tx.orders.byQuote(tenantId, quoteId));
  const { state, events } = convertQuote(quote, ctx.newId(), ctx.clock.now().toISOString());
  const response = { status: 201, body: orderView(state.order) };
  // The order, the quote, its events and (keyed) the stored response: one statement.
  const write = {
    creates: state.order,
    ...(idempotencyKey === undefined ? {} : { completes: { key: idempotencyKey, ...response } }),
  };
  if (!(await tx.quotes.update(state.quote, naive ? null : quote.revision, events, ctx.clock.now(), write))) {
    throw new DomainError(
      'REVISION_CONFLICT',
      `quote ${quoteId} changed concurrently`,
      'retry with the same Idempotency-Key',
    );
  }
  // A crash between the write and the commit of one unit of work: nothing of it may survive.
  ctx.failpoints.crashIfArmed('api.convert-between-statements');
  return response;
}

/** A conversion of the planted bugs: the quote read without a lock, no record, no revision check. */
const naively =
  (ctx: AppContext, tenantId: string, quoteId: string) =>
  async (tx: TxStore): Promise<StoredResponse> =>
    createOrder(ctx, tx, tenantId, quoteId, await tx.quotes.get(tenantId, quoteId), true);

/** Converts `quoteId` under `idempotencyKey`; resolves with the response to send (or replay). */
export async function convert(
  ctx: AppContext,
  tenantId: string,
  quoteId: string,
  idempotencyKey: string,
): Promise<StoredResponse> {
  const requestHash = sha256Of({ operation: 'convert', tenantId, quoteId });
  const cacheKey = ctx.keys.entity({
    tenantId,
    domain: 'idempotency',
    version: 0,
    entityType: 'convert',
    entityId: keyId(idempotencyKey),
    projection: 'response',
  });

  if (ctx.bugs.has('convert-not-idempotent')) {
    // planted bug: convert-not-idempotent — every request converts, nothing remembers keys
    return ctx.store.transaction(naively(ctx, tenantId, quoteId));
  }

  const cached = await ctx.cache.get(cacheKey);
  if (cached !== undefined) {
    const stored = JSON.parse(cached) as StoredResponse & { requestHash: string };
    if (stored.requestHash !== requestHash) throw reused();
    return { status: stored.status, body: stored.body };
  }

  let response: StoredResponse;
  if (ctx.bugs.has('idempotency-redis-only')) {
    // planted bug: idempotency-redis-only — a Redis claim is the only guard; if Redis cannot
    // answer, the request goes ahead unguarded
    const claimed = await ctx.cache.setIfAbsent(`${cacheKey}:claim`, requestHash, CLAIM_TTL_MS);
    if (claimed === false)
      throw new DomainError(
        'REVISION_CONFLICT',
        'a request with this Idempotency-Key is in progress',
        'retry shortly with the same key',
      );
    response = await ctx.store.transaction(naively(ctx, tenantId, quoteId));
  } else {
    response = await ctx.store.transaction(async (tx) => {
      const { existing, quote } = await tx.idempotency.claimLockingQuote(
        tenantId,
        idempotencyKey,
        requestHash,
        quoteId,
      );
      if (existing) {
        if (existing.requestHash !== requestHash) throw reused();
        if (existing.responseStatus !== undefined)
          return { status: existing.responseStatus, body: existing.responseBody };
      }
      return createOrder(ctx, tx, tenantId, quoteId, quote, false, idempotencyKey);
    });
  }
  await ctx.cache.set(cacheKey, JSON.stringify({ ...response, requestHash }), RESPONSE_TTL_MS);
  return response;
}

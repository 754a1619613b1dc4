/**
 * Quote use cases: create, read, price, submit, approve, accept. Pricing reads the active versions
 * from PostgreSQL and their (immutable, versioned) content through the cache; submit revalidates the
 * quote's catalog, price-list and policy versions and its price hash against PostgreSQL, and its
 * write goes through only while those versions are still active (locked FOR SHARE by the write), so
 * a concurrent publish and an accepted submit serialize. Every change is optimistic: read, decide,
 * write if nothing changed since the read, else read and decide again.
 */
import { DomainError, STALE_CODES } from '../domain/errors.ts';
import { priceHash } from '../domain/hashes.ts';
import { priceLines } from '../domain/pricing.ts';
import {
  acceptQuote,
  approveQuote,
  createQuote,
  priceQuote,
  submitQuote,
  type ActiveBasis,
  type CreateQuote,
} from '../domain/quote.ts';
import type { Decision } from '../domain/events.ts';
import type { ApprovalPolicy, Quote } from '../domain/types.ts';
import type { ActiveVersions, SubmitBasis, TxStore } from '../ports/store.ts';
import type { AppContext } from './context.ts';

/** With no policy published, every discount is allowed without approval (version 0). */
const NO_POLICY: ApprovalPolicy = { maxDiscountPctWithoutApproval: 100 };

function notFound(quoteId: string): DomainError {
  return new DomainError('NOT_FOUND', `no quote ${quoteId}`);
}

export async function getQuote(ctx: AppContext, tenantId: string, quoteId: string): Promise<Quote> {
  const quote = await ctx.store.quotes.get(tenantId, quoteId);
  if (!quote) throw notFound(quoteId);
  return quote;
}

export async function createNewQuote(ctx: AppContext, command: Omit<CreateQuote, 'quoteId'>): Promise<Quote> {
  const catalogVersion = await ctx.reader.activeVersion(command.tenantId, 'catalog', 'command');
  const offerings =
    catalogVersion === undefined
      ? new Map()
      : await ctx.reader.offerings(
          command.tenantId,
          catalogVersion,
          command.items.map((i) => i.offeringId),
        );
  const { state, events } = createQuote({ ...command, quoteId: ctx.newId() }, offerings, ctx.clock.now().toISOString());
  await ctx.store.quotes.insert(state, events, ctx.clock.now()); // one statement: atomic on its own
  return state;
}

/** How many times a command reads, decides and writes before it gives up on a quote that keeps changing. */
const ATTEMPTS = 3;

/** A decision, and the active versions its write must still find (none: the revision alone). */
type Decided = Decision<Quote> & { pointers?: ActiveVersions };

/** The quote alone: what approve and accept decide on. */
async function quoteOnly(ctx: AppContext, tenantId: string, quoteId: string): Promise<{ quote: Quote }> {
  return { quote: await getQuote(ctx, tenantId, quoteId) };
}

/** The quote with what submit revalidates it against, read in one statement (one snapshot). */
async function quoteWithBasis(
  ctx: AppContext,
  tenantId: string,
  quoteId: string,
): Promise<{ quote: Quote; basis: SubmitBasis }> {
  const read = await ctx.store.quotes.getWithBasis(tenantId, quoteId);
  if (!read) throw notFound(quoteId);
  return read;
}

/**
 * Reads the quote (with whatever `read` brings along), applies `decide`, and writes it at the next
 * revision with its events if neither its revision nor (with `pointers`) the active versions changed
 * since the read; otherwise reads and decides again — as a lock held from the read would have made
 * it wait and then see the change.
 */
async function change<R extends { quote: Quote }>(
  ctx: AppContext,
  quoteId: string,
  read: () => Promise<R>,
  decide: (read: R) => Decided | Promise<Decided>,
): Promise<Quote> {
  for (let attempt = 1; ; attempt++) {
    const got = await read();
    const { state, events, pointers } = await decide(got);
    if (await ctx.store.quotes.update(state, got.quote.revision, events, ctx.clock.now(), pointers ? { pointers } : {}))
      return state;
    if (attempt === ATTEMPTS)
      throw new DomainError('REVISION_CONFLICT', `quote ${quoteId} changed concurrently`, 'read it again and retry');
  }
}

/** Prices against the active versions; optimistic on the revision read. */
export async function price(ctx: AppContext, tenantId: string, quoteId: string): Promise<Quote> {
  const quote = await getQuote(ctx, tenantId, quoteId);
  // Commands never act on a cached pointer: all three from PostgreSQL, in one statement.
  const {
    catalog: catalogVersion,
    pricing: priceListVersion,
    policy: policyVersion,
  } = await ctx.store.pointers.allActive(tenantId);
  if (catalogVersion === undefined)
    throw new DomainError(
      'OFFERING_INACTIVE',
      'no catalog has been published for this tenant',
      'publish a catalog first',
    );
  if (priceListVersion === undefined)
    throw new DomainError(
      'PRICE_NOT_FOUND',
      'no price list has been published for this tenant',
      'publish a price list first',
    );
  const ids = quote.items.map((i) => i.offeringId);
  const [offerings, unitPrices, policy] = await Promise.all([
    ctx.reader.offerings(tenantId, catalogVersion, ids),
    ctx.reader.unitPrices(tenantId, priceListVersion, quote.currency, ids),
    policyVersion === undefined ? NO_POLICY : ctx.reader.policy(tenantId, policyVersion),
  ]);
  const { state, events } = priceQuote(
    quote,
    {
      catalogVersion,
      priceListVersion,
      policyVersion: policyVersion ?? 0,
      offerings,
      unitPrices,
      policy: policy ?? NO_POLICY,
    },
    ctx.clock.now().toISOString(),
  );
  // Optimistic on the revision read; the write and its events are one statement, atomic on its own.
  if (!(await ctx.store.quotes.update(state, quote.revision, events, ctx.clock.now()))) {
    throw new DomainError(
      'REVISION_CONFLICT',
      `quote ${quoteId} changed while it was being priced (revision ${quote.revision})`,
      'read it again and price it again',
    );
  }
  return state;
}

/** Where submit reads the active versions and their content from. */
interface BasisSource {
  version(domain: 'catalog' | 'pricing' | 'policy'): Promise<number | undefined>;
  policy(version: number): Promise<ApprovalPolicy | undefined>;
  prices(version: number, currency: string, offeringIds: string[]): Promise<Map<string, number>>;
}

/** PostgreSQL, as one statement read it (the pointers, the active policy and prices); others on demand. */
function sourceOfTruth(store: TxStore, quote: Quote, held: SubmitBasis): BasisSource {
  return {
    version: async (domain) => held.versions[domain],
    // Asked for what the basis holds (always, from activeBasis): no second read.
    policy: async (version) =>
      held.versions.policy === version ? held.policy : store.reference.policy(quote.tenantId, version),
    prices: async (version, currency, ids) =>
      held.versions.pricing === version && currency === quote.currency
        ? held.prices
        : store.reference.prices(quote.tenantId, version, currency, ids),
  };
}

/** The cache — what the planted bugs trust instead of the source of truth. */
function cacheSource(ctx: AppContext, tenantId: string): BasisSource {
  return {
    version: (domain) => ctx.reader.activeVersion(tenantId, domain, 'cached'),
    policy: (version) => ctx.reader.policy(tenantId, version),
    prices: (version, currency, ids) => ctx.reader.unitPrices(tenantId, version, currency, ids),
  };
}

/** The active catalog/price-list/policy versions, the active policy and the recomputed price hash. */
async function activeBasis(quote: Quote, source: BasisSource): Promise<ActiveBasis> {
  const catalogVersion = (await source.version('catalog')) ?? 0;
  const priceListVersion = (await source.version('pricing')) ?? 0;
  const policyVersion = (await source.version('policy')) ?? 0;
  const policy = policyVersion === 0 ? NO_POLICY : ((await source.policy(policyVersion)) ?? NO_POLICY);
  const unitPrices =
    priceListVersion === 0
      ? new Map<string, number>()
      : await source.prices(
          priceListVersion,
          quote.currency,
          quote.items.map((i) => i.offeringId),
        );
  return {
    catalogVersion,
    priceListVersion,
    policyVersion,
    recomputedPriceHash: recomputeHash(quote, catalogVersion, priceListVersion, unitPrices),
    policy,
  };
}

function recomputeHash(
  quote: Quote,
  catalogVersion: number,
  priceListVersion: number,
  unitPrices: Map<string, number>,
): string | undefined {
  try {
    const lines = priceLines(quote.items, unitPrices, quote.currency);
    return priceHash({ tenantId: quote.tenantId, currency: quote.currency, catalogVersion, priceListVersion, lines });
  } catch {
    return undefined; // an item lost its price: the hash cannot match
  }
}

/**
 * What submit checks the quote against, and the active versions its write must still find (none: the
 * planted bugs that do not judge by PostgreSQL's versions). The planted bugs are the switches here
 * and only here.
 */
async function activeBasisForSubmit(
  ctx: AppContext,
  quote: Quote,
  held: SubmitBasis,
): Promise<{ active: ActiveBasis; pointers?: ActiveVersions }> {
  const pricing = quote.pricing;
  if (ctx.bugs.has('no-version-check') && pricing) {
    // planted bug: no-version-check — the quote is taken to be as fresh as it says it is
    const policy = (await ctx.store.reference.policy(quote.tenantId, pricing.policyVersion)) ?? NO_POLICY;
    return { active: { ...pricing, recomputedPriceHash: pricing.priceHash, policy } };
  }
  if (ctx.bugs.has('submit-trusts-cache'))
    return { active: await activeBasis(quote, cacheSource(ctx, quote.tenantId)) }; // planted bug: submit-trusts-cache
  const source = await activeBasis(quote, sourceOfTruth(ctx.store, quote, held));
  if (ctx.bugs.has('policy-from-cache')) {
    // planted bug: policy-from-cache — the approval rule comes from the cached policy
    const cached = await activeBasis(quote, cacheSource(ctx, quote.tenantId));
    return {
      active: { ...source, policyVersion: cached.policyVersion, policy: cached.policy },
      pointers: held.versions,
    };
  }
  return { active: source, pointers: held.versions };
}

export async function submit(ctx: AppContext, tenantId: string, quoteId: string): Promise<Quote> {
  try {
    return await change(
      ctx,
      quoteId,
      () => quoteWithBasis(ctx, tenantId, quoteId),
      async ({ quote, basis }) => {
        const { active, pointers } = await activeBasisForSubmit(ctx, quote, basis);
        return { ...submitQuote(quote, active, ctx.clock.now().toISOString()), ...(pointers ? { pointers } : {}) };
      },
    );
  } catch (error) {
    if (error instanceof DomainError && (STALE_CODES as readonly string[]).includes(error.code))
      ctx.metrics.staleRejections.inc({ code: error.code });
    throw error;
  }
}

export function approve(ctx: AppContext, tenantId: string, quoteId: string): Promise<Quote> {
  return change(
    ctx,
    quoteId,
    () => quoteOnly(ctx, tenantId, quoteId),
    ({ quote }) => approveQuote(quote, ctx.clock.now().toISOString()),
  );
}

export function accept(ctx: AppContext, tenantId: string, quoteId: string): Promise<Quote> {
  return change(
    ctx,
    quoteId,
    () => quoteOnly(ctx, tenantId, quoteId),
    ({ quote }) => acceptQuote(quote, ctx.clock.now().toISOString()),
  );
}

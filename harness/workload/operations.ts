/**
 * The workload's operations: each performs one op of the vocabulary (harness/core/vocabulary.ts)
 * through the contract client and records it — invoke before the request, then the completion:
 * `ok` on 2xx with what the response said; `fail` with the problem code on 4xx; and for a command
 * that got a 5xx, timed out or lost its connection, `info` (it may or may not have happened).
 * Reads have no effect, so a read that did not answer is a `fail`.
 */
import type { HistoryWriter } from '../core/history.ts';
import type { Op } from '../core/op.ts';
import type { ApiResponse, CpqClient, QuoteItem } from '../system/cpq-client.ts';
import { CURRENCY } from './tenant-data.ts';

type Body = Record<string, unknown>;

/** Picks the fields worth recording from a success body. */
const pick = (body: Body, keys: readonly string[]): Body =>
  Object.fromEntries(keys.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));

const QUOTE_FIELDS = ['state', 'revision', 'catalogVersion', 'priceListVersion', 'policyVersion', 'approvalRequired'];

/** One worker's way of performing recorded ops against one API instance. */
export class Operations {
  /**
   * `clientTimeoutMs`: set when the client was told to give up early (a deliberately short timeout);
   * recorded in every op's value, so a checker can tell a client that chose not to wait from a
   * system that did not answer.
   */
  constructor(
    private readonly history: HistoryWriter,
    readonly process: number | string,
    private readonly client: (tenant: string) => CpqClient,
    private readonly clientTimeoutMs?: number,
  ) {}

  /** Records invoke, runs `call`, records the completion; resolves with the completion op. */
  async perform(
    f: string,
    given: Body,
    call: () => Promise<ApiResponse<unknown>>,
    options: { command: boolean; extract: (body: Body) => Body },
  ): Promise<Op> {
    const value = this.clientTimeoutMs === undefined ? given : { ...given, clientTimeoutMs: this.clientTimeoutMs };
    this.history.append({ process: this.process, type: 'invoke', f, value });
    let response: ApiResponse<unknown>;
    try {
      response = await call();
    } catch (error) {
      const reason = error instanceof Error ? (error.name === 'TimeoutError' ? 'timeout' : error.message) : 'error';
      return this.history.append({
        process: this.process,
        type: options.command ? 'info' : 'fail',
        f,
        value,
        error: reason,
      });
    }
    const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as Body;
    if (response.status >= 200 && response.status < 300)
      return this.history.append({
        process: this.process,
        type: 'ok',
        f,
        // Commands keep their status (201 vs 200 matters to idempotent replays); reads stay lean.
        value: { ...value, ...(options.command ? { status: response.status } : {}), ...options.extract(body) },
      });
    const code = typeof body.code === 'string' ? body.code : `HTTP ${response.status}`;
    const indeterminate = options.command && response.status >= 500;
    return this.history.append({
      process: this.process,
      type: indeterminate ? 'info' : 'fail',
      f,
      // A refusal can name facts too (409 QUOTE_ALREADY_CONVERTED names the existing order).
      value: { ...value, status: response.status, ...options.extract(body) },
      error: indeterminate ? `${code} (HTTP ${response.status})` : code,
    });
  }

  publishCatalog(tenant: string, offerings: Record<string, string>): Promise<Op> {
    const list = Object.entries(offerings).map(([offeringId, name]) => ({
      offeringId,
      name,
      family: 'network',
      active: true,
    }));
    return this.perform(
      'publish',
      { tenant, domain: 'catalog', content: { offerings } },
      () => this.client(tenant).publishCatalog(list),
      {
        command: true,
        extract: (b) => ({ version: b.catalogVersion }),
      },
    );
  }

  publishPrices(tenant: string, prices: Record<string, number>, currency = CURRENCY): Promise<Op> {
    const entries = Object.entries(prices).map(([offeringId, unitPriceCents]) => ({ offeringId, unitPriceCents }));
    return this.perform(
      'publish',
      { tenant, domain: 'pricing', content: { currency, prices } },
      () => this.client(tenant).publishPriceList(currency, entries),
      { command: true, extract: (b) => ({ version: b.priceListVersion }) },
    );
  }

  publishPolicy(tenant: string, maxDiscountPct: number): Promise<Op> {
    return this.perform(
      'publish',
      { tenant, domain: 'policy', content: { maxDiscountPct } },
      () => this.client(tenant).publishPolicy(maxDiscountPct),
      { command: true, extract: (b) => ({ version: b.policyVersion }) },
    );
  }

  createQuote(tenant: string, items: QuoteItem[], currency = CURRENCY): Promise<Op> {
    return this.perform(
      'create-quote',
      { tenant, items },
      () => this.client(tenant).createQuote(`customer-of-${tenant}`, currency, items),
      {
        command: true,
        extract: (b) => pick(b, ['quoteId', 'state', 'revision']),
      },
    );
  }

  transition(tenant: string, quoteId: string, action: 'price' | 'submit' | 'approve' | 'accept'): Promise<Op> {
    return this.perform(action, { tenant, quoteId }, () => this.client(tenant).transition(quoteId, action), {
      command: true,
      extract: (b) => pick(b, QUOTE_FIELDS),
    });
  }

  convert(tenant: string, quoteId: string, key: string): Promise<Op> {
    return this.perform('convert', { tenant, quoteId, key }, () => this.client(tenant).convert(quoteId, key), {
      command: true,
      extract: (b) => pick(b, ['orderId']),
    });
  }

  readPrice(tenant: string, offeringId: string, phase?: string, currency = CURRENCY): Promise<Op> {
    return this.perform(
      'read-price',
      { tenant, offeringId, currency, ...(phase ? { phase } : {}) },
      () => this.client(tenant).getPrice(offeringId, currency),
      { command: false, extract: (b) => pick(b, ['unitPriceCents', 'priceListVersion', 'tenantId']) },
    );
  }

  readOffering(tenant: string, offeringId: string, phase?: string): Promise<Op> {
    return this.perform(
      'read-offering',
      { tenant, offeringId, ...(phase ? { phase } : {}) },
      () => this.client(tenant).getOffering(offeringId),
      { command: false, extract: (b) => pick(b, ['name', 'catalogVersion', 'tenantId']) },
    );
  }
}

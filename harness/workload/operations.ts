/**
 * The workload's operations: each performs one op of the vocabulary (harness/core/vocabulary.ts)
 * through the contract client and records it — invoke before the request, then the completion as
 * op-outcome.ts classifies the answer (ok, fail with the problem code, or info when a command's
 * outcome is unknown).
 */
import type { ScenarioLog } from '../core/history.ts';
import type { Op } from '../core/op.ts';
import type { ApiResponse, CpqClient, QuoteItem } from '../system/cpq-client.ts';
import { completionOf, type Answer } from './op-outcome.ts';
import { CURRENCY } from './tenant-data.ts';

type Body = Record<string, unknown>;

/** One worker's way of performing recorded ops against one API instance. */
export class Operations {
  /**
   * `clientTimeoutMs`: set when the client was told to give up early (a deliberately short timeout);
   * recorded in every op's value, so a checker can tell a client that chose not to wait from a
   * system that did not answer.
   */
  constructor(
    private readonly history: Pick<ScenarioLog, 'append'>,
    readonly process: number | string,
    private readonly client: (tenant: string) => CpqClient,
    private readonly clientTimeoutMs?: number,
    /** Among scenarios run at once: each request, invoke to completion, in its turn (runner/turns.ts). */
    private readonly turn?: <T>(alone: boolean, work: () => Promise<T>) => Promise<T>,
  ) {}

  /** Records invoke, runs `call`, records the completion; resolves with the completion op. */
  perform(f: string, given: Body, call: () => Promise<ApiResponse<unknown>>): Promise<Op> {
    return this.turn ? this.turn(false, () => this.exchange(f, given, call)) : this.exchange(f, given, call);
  }

  private async exchange(f: string, given: Body, call: () => Promise<ApiResponse<unknown>>): Promise<Op> {
    const value = this.clientTimeoutMs === undefined ? given : { ...given, clientTimeoutMs: this.clientTimeoutMs };
    this.history.append({ process: this.process, type: 'invoke', f, value });
    let answer: Answer;
    try {
      const response = await call();
      const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as Body;
      answer = { status: response.status, body };
    } catch (error) {
      answer = {
        error: error instanceof Error ? (error.name === 'TimeoutError' ? 'timeout' : error.message) : 'error',
      };
    }
    return this.history.append({ process: this.process, ...completionOf(f, value, answer) });
  }

  publishCatalog(tenant: string, offerings: Record<string, string>): Promise<Op> {
    const list = Object.entries(offerings).map(([offeringId, name]) => ({
      offeringId,
      name,
      family: 'network',
      active: true,
    }));
    return this.perform('publish', { tenant, domain: 'catalog', content: { offerings } }, () =>
      this.client(tenant).publishCatalog(list),
    );
  }

  publishPrices(tenant: string, prices: Record<string, number>, currency = CURRENCY): Promise<Op> {
    const entries = Object.entries(prices).map(([offeringId, unitPriceCents]) => ({ offeringId, unitPriceCents }));
    return this.perform('publish', { tenant, domain: 'pricing', content: { currency, prices } }, () =>
      this.client(tenant).publishPriceList(currency, entries),
    );
  }

  publishPolicy(tenant: string, maxDiscountPct: number): Promise<Op> {
    return this.perform('publish', { tenant, domain: 'policy', content: { maxDiscountPct } }, () =>
      this.client(tenant).publishPolicy(maxDiscountPct),
    );
  }

  createQuote(tenant: string, items: QuoteItem[], currency = CURRENCY, phase?: string): Promise<Op> {
    return this.perform('create-quote', { tenant, items, ...(phase ? { phase } : {}) }, () =>
      this.client(tenant).createQuote(`customer-of-${tenant}`, currency, items),
    );
  }

  transition(tenant: string, quoteId: string, action: 'price' | 'submit' | 'approve' | 'accept'): Promise<Op> {
    return this.perform(action, { tenant, quoteId }, () => this.client(tenant).transition(quoteId, action));
  }

  convert(tenant: string, quoteId: string, key: string): Promise<Op> {
    return this.perform('convert', { tenant, quoteId, key }, () => this.client(tenant).convert(quoteId, key));
  }

  readPrice(tenant: string, offeringId: string, phase?: string, currency = CURRENCY): Promise<Op> {
    return this.perform('read-price', { tenant, offeringId, currency, ...(phase ? { phase } : {}) }, () =>
      this.client(tenant).getPrice(offeringId, currency),
    );
  }

  readOffering(tenant: string, offeringId: string, phase?: string): Promise<Op> {
    return this.perform('read-offering', { tenant, offeringId, ...(phase ? { phase } : {}) }, () =>
      this.client(tenant).getOffering(offeringId),
    );
  }
}

/**
 * The contract's browse and quote calls (contract section 3), each recorded as history
 * (history.ts) and tagged with its op name, so k6's per-operation thresholds and the harness's
 * checkers see the same requests. Values mirror the harness's own ops (harness/workload/operations.ts).
 */
import http from 'k6/http';
import type { RefinedResponse, ResponseType } from 'k6/http';
import { config } from './config.ts';
import { recorded } from './history.ts';

export interface Line {
  offeringId: string;
  quantity: number;
  discountPct: number;
}

type Response = RefinedResponse<ResponseType>;

const JSON_HEADERS = { 'content-type': 'application/json' };

/** One user's client: a tenant, through one API instance. */
export class CpqUser {
  private readonly base: string;

  constructor(
    readonly tenant: string,
    apiUrl: string,
  ) {
    this.base = `${apiUrl}/v1/tenants/${encodeURIComponent(tenant)}`;
  }

  private params(op: string, headers: Record<string, string> = {}) {
    return { headers, tags: { name: op, op }, timeout: `${config.timeoutMs}ms` };
  }

  readPrice(offeringId: string, currency: string): Response {
    return recorded('read-price', { tenant: this.tenant, offeringId, currency }, () =>
      http.get(`${this.base}/prices/${encodeURIComponent(offeringId)}?currency=${currency}`, this.params('read-price')),
    );
  }

  readOffering(offeringId: string): Response {
    return recorded('read-offering', { tenant: this.tenant, offeringId }, () =>
      http.get(`${this.base}/catalog/offerings/${encodeURIComponent(offeringId)}`, this.params('read-offering')),
    );
  }

  createQuote(lines: Line[], currency: string): Response {
    const body = JSON.stringify({ customerId: `customer-of-${this.tenant}`, currency, items: lines });
    return recorded('create-quote', { tenant: this.tenant, items: lines }, () =>
      http.post(`${this.base}/quotes`, body, this.params('create-quote', JSON_HEADERS)),
    );
  }

  transition(quoteId: string, action: 'price' | 'submit' | 'approve' | 'accept'): Response {
    return recorded(action, { tenant: this.tenant, quoteId }, () =>
      http.post(`${this.base}/quotes/${quoteId}/${action}`, null, this.params(action)),
    );
  }

  convert(quoteId: string, key: string): Response {
    return recorded('convert', { tenant: this.tenant, quoteId, key }, () =>
      http.post(`${this.base}/quotes/${quoteId}/convert`, null, this.params('convert', { 'idempotency-key': key })),
    );
  }
}

/** A JSON field of a response body, if there is one. */
export function field(response: Response, name: string): unknown {
  try {
    return (JSON.parse(response.body as string) as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}

/**
 * A client for the reference CPQ/OMS HTTP contract (contract section 3), one tenant at a time. It
 * never throws for an HTTP status: every call resolves with `{status, body}`, and a request that
 * timed out or lost its connection rejects, so callers can record it as indeterminate.
 */

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface Offering {
  offeringId: string;
  name: string;
  family: string;
  active: boolean;
}

export interface QuoteItem {
  offeringId: string;
  quantity: number;
  discountPct?: number;
}

export class CpqClient {
  constructor(
    readonly baseUrl: string,
    readonly tenantId: string,
    private readonly timeoutMs = 10_000,
  ) {}

  /** The same client against another API instance. */
  on(baseUrl: string): CpqClient {
    return new CpqClient(baseUrl, this.tenantId, this.timeoutMs);
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}/v1/tenants/${encodeURIComponent(this.tenantId)}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T };
  }

  publishCatalog(offerings: Offering[]) {
    return this.request<{ catalogVersion: number }>('POST', '/catalog/publish', { offerings });
  }

  publishPriceList(currency: string, entries: { offeringId: string; unitPriceCents: number }[]) {
    return this.request<{ priceListVersion: number }>('POST', '/price-lists/publish', { currency, entries });
  }

  publishPolicy(maxDiscountPctWithoutApproval: number) {
    return this.request<{ policyVersion: number }>('POST', '/approval-policy/publish', {
      maxDiscountPctWithoutApproval,
    });
  }

  getOffering(offeringId: string) {
    return this.request<Offering & { catalogVersion: number }>(
      'GET',
      `/catalog/offerings/${encodeURIComponent(offeringId)}`,
    );
  }

  getPrice(offeringId: string, currency: string) {
    return this.request<{ offeringId: string; currency: string; unitPriceCents: number; priceListVersion: number }>(
      'GET',
      `/prices/${encodeURIComponent(offeringId)}?currency=${encodeURIComponent(currency)}`,
    );
  }

  createQuote(customerId: string, currency: string, items: QuoteItem[]) {
    return this.request<QuoteView>('POST', '/quotes', { customerId, currency, items });
  }

  getQuote(quoteId: string) {
    return this.request<QuoteView>('GET', `/quotes/${quoteId}`);
  }

  /** POST …/quotes/{id}/{action} for price, submit, approve, accept. */
  transition(quoteId: string, action: 'price' | 'submit' | 'approve' | 'accept') {
    return this.request<QuoteView>('POST', `/quotes/${quoteId}/${action}`);
  }

  convert(quoteId: string, idempotencyKey: string | undefined) {
    return this.request<OrderView>(
      'POST',
      `/quotes/${quoteId}/convert`,
      undefined,
      idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey },
    );
  }

  getOrder(orderId: string) {
    return this.request<OrderView>('GET', `/orders/${orderId}`);
  }

  ordersOfQuote(quoteId: string) {
    return this.request<{ orders: OrderView[] }>('GET', `/orders?quoteId=${quoteId}`);
  }

  reconcile(olderThanSec = 30) {
    return this.request<{ findings: { kind: string; entity: string; expected: unknown; actual: unknown }[] }>(
      'GET',
      `/ops/reconcile?olderThanSec=${olderThanSec}`,
    );
  }
}

export interface QuoteView {
  quoteId: string;
  tenantId: string;
  state: string;
  revision: number;
  catalogVersion: number | null;
  priceListVersion: number | null;
  policyVersion: number | null;
  totalCents: number | null;
  priceHash: string | null;
  approvalRequired: boolean | null;
  code?: string;
  [more: string]: unknown;
}

export interface OrderView {
  orderId: string;
  tenantId: string;
  sourceQuoteId: string;
  sourceQuoteRevision: number;
  code?: string;
  [more: string]: unknown;
}

/**
 * `check-system`'s contract probes: every endpoint of contract section 3 called once with a valid
 * request and once with an invalid one, on a fresh tenant, through the first API instance — what
 * came back against what the contract says (status; for errors the problem+json `code` and media
 * type). A difference is reported, never thrown: the user reads what their system does instead.
 */
import { randomUUID } from 'node:crypto';

/** One request's outcome against the contract. */
export interface EndpointProbe {
  endpoint: string;
  /** `valid` or what makes the request invalid. */
  request: string;
  expected: string;
  got: string;
  ok: boolean;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  problem: boolean;
}

/** Probes every endpoint of `apiUrl` as `tenant`, and every component's health and metrics URLs. */
export async function probeEndpoints(
  apiUrl: string,
  tenant: string,
  components: readonly { name: string; url: string; metricsUrl?: string }[],
): Promise<EndpointProbe[]> {
  const probes: EndpointProbe[] = [];
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    try {
      const response = await fetch(`${apiUrl}/v1/tenants/${tenant}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      let parsed: unknown = {};
      try {
        parsed = text ? JSON.parse(text) : {};
      } catch {
        parsed = { text };
      }
      const problem = (response.headers.get('content-type') ?? '').includes('application/problem+json');
      return { status: response.status, body: (parsed ?? {}) as Record<string, unknown>, problem };
    } catch (error) {
      return { status: 0, body: { error: (error as Error).message }, problem: false };
    }
  };
  const valid = (endpoint: string, answer: Answer, status: number, field?: string, request = 'valid') => {
    const has = field === undefined || answer.body[field] !== undefined;
    probes.push({
      endpoint,
      request,
      expected: `${status}${field ? ` with ${field}` : ''}`,
      got:
        answer.status === 0
          ? `no answer: ${String(answer.body.error)}`
          : `${answer.status}${field && !has ? ` without ${field}` : ''}`,
      ok: answer.status === status && has,
    });
    return answer;
  };
  const invalid = (endpoint: string, request: string, answer: Answer, status: number, code?: string) => {
    const got =
      answer.status === 0 ? 'no answer' : `${answer.status}${answer.body.code ? ` ${String(answer.body.code)}` : ''}`;
    probes.push({
      endpoint,
      request,
      expected: `${status}${code ? ` ${code}` : ''} problem+json`,
      got: `${got}${answer.status && !answer.problem ? ' (not problem+json)' : ''}`,
      ok: answer.status === status && (code === undefined || answer.body.code === code) && answer.problem,
    });
  };
  const offerings = ['router', 'switch'].map((offeringId) => ({
    offeringId,
    name: offeringId,
    family: 'net',
    active: true,
  }));
  valid('POST /catalog/publish', await call('POST', '/catalog/publish', { offerings }), 201, 'catalogVersion');
  invalid(
    'POST /catalog/publish',
    'offerings not a list',
    await call('POST', '/catalog/publish', { offerings: 'x' }),
    400,
    'VALIDATION_FAILED',
  );
  const entries = [
    { offeringId: 'router', unitPriceCents: 1000 },
    { offeringId: 'switch', unitPriceCents: 500 },
  ];
  valid(
    'POST /price-lists/publish',
    await call('POST', '/price-lists/publish', { currency: 'EUR', entries }),
    201,
    'priceListVersion',
  );
  invalid(
    'POST /price-lists/publish',
    'currency euro',
    await call('POST', '/price-lists/publish', { currency: 'euro', entries }),
    400,
    'VALIDATION_FAILED',
  );
  valid(
    'POST /approval-policy/publish',
    await call('POST', '/approval-policy/publish', { maxDiscountPctWithoutApproval: 10 }),
    201,
    'policyVersion',
  );
  invalid(
    'POST /approval-policy/publish',
    'a negative limit',
    await call('POST', '/approval-policy/publish', { maxDiscountPctWithoutApproval: -5 }),
    400,
    'VALIDATION_FAILED',
  );
  valid('GET /catalog/offerings/{id}', await call('GET', '/catalog/offerings/router'), 200, 'catalogVersion');
  invalid(
    'GET /catalog/offerings/{id}',
    'an unknown offering',
    await call('GET', '/catalog/offerings/nope'),
    404,
    'NOT_FOUND',
  );
  valid('GET /prices/{id}', await call('GET', '/prices/router?currency=EUR'), 200, 'priceListVersion');
  invalid('GET /prices/{id}', 'an unknown offering', await call('GET', '/prices/nope?currency=EUR'), 404, 'NOT_FOUND');
  const quoteBody = (discountPct: number) => ({
    customerId: 'c-1',
    currency: 'EUR',
    items: [{ offeringId: 'router', quantity: 2, discountPct }],
  });
  const created = valid('POST /quotes', await call('POST', '/quotes', quoteBody(0)), 201, 'quoteId');
  invalid(
    'POST /quotes',
    'no items',
    await call('POST', '/quotes', { ...quoteBody(0), items: [] }),
    400,
    'VALIDATION_FAILED',
  );
  const quote = String(created.body.quoteId ?? randomUUID());
  const unknown = randomUUID();
  valid('GET /quotes/{id}', await call('GET', `/quotes/${quote}`), 200, 'state');
  invalid('GET /quotes/{id}', 'an unknown quote', await call('GET', `/quotes/${unknown}`), 404, 'NOT_FOUND');
  invalid(
    'POST /quotes/{id}/accept',
    'a draft quote',
    await call('POST', `/quotes/${quote}/accept`),
    409,
    'INVALID_STATE',
  );
  valid('POST /quotes/{id}/price', await call('POST', `/quotes/${quote}/price`), 200, 'priceHash');
  invalid(
    'POST /quotes/{id}/price',
    'an unknown quote',
    await call('POST', `/quotes/${unknown}/price`),
    404,
    'NOT_FOUND',
  );
  valid('POST /quotes/{id}/submit', await call('POST', `/quotes/${quote}/submit`), 200, 'state');
  invalid(
    'POST /quotes/{id}/submit',
    'submitted twice',
    await call('POST', `/quotes/${quote}/submit`),
    409,
    'INVALID_STATE',
  );
  invalid(
    'POST /quotes/{id}/approve',
    'a quote needing no approval',
    await call('POST', `/quotes/${quote}/approve`),
    409,
    'INVALID_STATE',
  );
  // A discount above the policy's 10%: submit asks for approval.
  const discounted = String((await call('POST', '/quotes', quoteBody(20))).body.quoteId ?? unknown);
  await call('POST', `/quotes/${discounted}/price`);
  await call('POST', `/quotes/${discounted}/submit`);
  valid('POST /quotes/{id}/approve', await call('POST', `/quotes/${discounted}/approve`), 200, 'state');
  valid('POST /quotes/{id}/accept', await call('POST', `/quotes/${quote}/accept`), 200, 'state');
  invalid('POST /quotes/{id}/convert', 'no Idempotency-Key', await call('POST', `/quotes/${quote}/convert`), 400);
  const key = { 'idempotency-key': `check-${quote}` };
  const order = valid(
    'POST /quotes/{id}/convert',
    await call('POST', `/quotes/${quote}/convert`, undefined, key),
    201,
    'orderId',
  );
  const replayed = await call('POST', `/quotes/${quote}/convert`, undefined, key);
  valid('POST /quotes/{id}/convert', replayed, 201, 'orderId', 'the same key again');
  if (replayed.body.orderId !== order.body.orderId)
    probes.push({
      endpoint: 'POST /quotes/{id}/convert',
      request: 'the same key again',
      expected: 'the same order',
      got: `order ${String(replayed.body.orderId)} after ${String(order.body.orderId)}`,
      ok: false,
    });
  invalid(
    'POST /quotes/{id}/convert',
    'a second key',
    await call('POST', `/quotes/${quote}/convert`, undefined, { 'idempotency-key': 'other' }),
    409,
    'QUOTE_ALREADY_CONVERTED',
  );
  valid('GET /orders/{id}', await call('GET', `/orders/${String(order.body.orderId ?? unknown)}`), 200);
  invalid('GET /orders/{id}', 'an unknown order', await call('GET', `/orders/${unknown}`), 404, 'NOT_FOUND');
  valid('GET /orders?quoteId=', await call('GET', `/orders?quoteId=${quote}`), 200, 'orders');
  valid('GET /ops/reconcile', await call('GET', '/ops/reconcile?olderThanSec=30'), 200, 'findings');
  invalid(
    'GET /ops/reconcile',
    'olderThanSec=abc',
    await call('GET', '/ops/reconcile?olderThanSec=abc'),
    400,
    'VALIDATION_FAILED',
  );
  for (const c of components)
    for (const [what, url] of [
      ['GET /healthz', `${c.url}/healthz`],
      ['GET /metrics', c.metricsUrl ?? `${c.url}/metrics`],
    ] as const) {
      const status = await fetch(url, { signal: AbortSignal.timeout(5000) })
        .then(async (r) => (await r.arrayBuffer(), r.status))
        .catch(() => 0);
      probes.push({
        endpoint: `${what} (${c.name})`,
        request: 'valid',
        expected: '200',
        got: status ? String(status) : 'no answer',
        ok: status === 200,
      });
    }
  return probes;
}

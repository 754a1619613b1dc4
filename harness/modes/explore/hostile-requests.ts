/**
 * Generated malformed requests for every endpoint of the contract (section 3), each made invalid
 * on purpose by one named mutation — a field of the wrong type, missing, empty, too long, with a
 * NUL byte or a lone surrogate, a number huge or fractional, an array empty or too long, a body
 * that is not JSON, not an object, too large or of another content type, an id that looks like a
 * UUID but is not, a bad query value or idempotency key, a method the route does not have, a quote
 * whose total cannot be represented. Extra fields ride along with another mutation only: a tolerant
 * reader may ignore them, so on their own they would not make a request invalid.
 */
import fc from 'fast-check';
import { BODY_TEMPLATES, bodyMutations } from './hostile-bodies.ts';
import type { HostileRequest, HostileTargets } from './hostile-types.ts';

const NOT_UUIDS: [string, (real: string) => string][] = [
  ['upper-case UUID', (real) => real.toUpperCase()],
  ['UUID with a g', (real) => `${real.slice(0, 35)}g`],
  ['36 dashes', () => '-'.repeat(36)],
  ['UUID without dashes', (real) => real.replace(/-/g, '')],
  ['UUID plus a character', (real) => `${real}0`],
  ['encoded NUL', (real) => `${real.slice(0, 8)}%00`],
];
const BAD_IDS: [string, string][] = [
  ['colon in id', 'a%3Ab'],
  ['65 characters', 'x'.repeat(65)],
  ['encoded NUL', 'a%00b'],
  ['leading dash', '-router'],
  ['right-to-left override', 'a%E2%80%AEb'],
  ['emoji', '%F0%9F%92%A9'],
  ['dot dot', '..%2F..'],
];

/** Requests with a bad path, query, header, method or state: no body to mutate. */
function requestMutations(): fc.Arbitrary<(targets: HostileTargets) => HostileRequest> {
  const get =
    (endpoint: string, mutation: string, path: string, headers: Record<string, string> = {}, method = 'GET') =>
    (targets: HostileTargets): HostileRequest => ({
      endpoint,
      mutation,
      method,
      path: `/v1/tenants/${targets.tenant}${path}`,
      headers,
    });
  return fc.oneof(
    fc.constantFrom(...BAD_IDS).map(([name, id]) => (_targets: HostileTargets) => ({
      endpoint: 'GET /catalog/offerings/{id} (tenant)',
      mutation: `tenant id: ${name}`,
      method: 'GET',
      path: `/v1/tenants/${id}/catalog/offerings/router`,
      headers: {},
    })),
    fc
      .constantFrom(...BAD_IDS)
      .map(([name, id]) => get('GET /catalog/offerings/{id}', `offering id: ${name}`, `/catalog/offerings/${id}`)),
    fc
      .constantFrom(...BAD_IDS)
      .map(([name, id]) => get('GET /prices/{id}', `offering id: ${name}`, `/prices/${id}?currency=EUR`)),
    fc
      .constantFrom('eur', 'EURO', '', 'E%00R', 'E%E2%82%ACR')
      .map((c) => get('GET /prices/{id}', `currency ${c || 'empty'}`, `/prices/router?currency=${c}`)),
    fc.constant(get('GET /prices/{id}', 'currency missing', '/prices/router')),
    fc.tuple(fc.constantFrom(...NOT_UUIDS), fc.constantFrom('', '/price', '/submit', '/convert')).map(
      ([[name, bad], action]) =>
        (targets: HostileTargets) =>
          get(
            `${action ? 'POST' : 'GET'} /quotes/{id}${action}`,
            `quote id: ${name}`,
            `/quotes/${bad(targets.acceptedQuote)}${action}`,
            action === '/convert' ? { 'idempotency-key': 'k-1' } : {},
            action ? 'POST' : 'GET',
          )(targets),
    ),
    fc.constantFrom(...NOT_UUIDS).map(
      ([name, bad]) =>
        (targets: HostileTargets) =>
          get('GET /orders/{id}', `order id: ${name}`, `/orders/${bad(targets.draftQuote)}`)(targets),
    ),
    fc.constantFrom(...NOT_UUIDS).map(
      ([name, bad]) =>
        (targets: HostileTargets) =>
          get('GET /orders?quoteId', `quoteId: ${name}`, `/orders?quoteId=${bad(targets.draftQuote)}`)(targets),
    ),
    fc.constant(get('GET /orders?quoteId', 'quoteId missing', '/orders')),
    fc
      .constantFrom('1e308', '-1', 'abc', '99999999999', '1.5', '')
      .map((v) => get('GET /ops/reconcile', `olderThanSec ${v || 'empty'}`, `/ops/reconcile?olderThanSec=${v}`)),
    fc
      .constantFrom<[string, Record<string, string>]>(
        ['no key', {}],
        ['empty key', { 'idempotency-key': '' }],
        ['key with a space', { 'idempotency-key': 'a b' }],
        ['key of 201 characters', { 'idempotency-key': 'k'.repeat(201) }],
        ['non-ASCII key', { 'idempotency-key': 'clé' }],
      )
      .map(
        ([name, headers]) =>
          (targets: HostileTargets) =>
            get(
              'POST /quotes/{id}/convert',
              name,
              `/quotes/${targets.acceptedQuote}/convert`,
              headers,
              'POST',
            )(targets),
      ),
    fc
      .constantFrom('submit', 'approve', 'accept')
      .map(
        (action) => (targets: HostileTargets) =>
          get(
            `POST /quotes/{id}/${action}`,
            `${action} a DRAFT quote`,
            `/quotes/${targets.draftQuote}/${action}`,
            {},
            'POST',
          )(targets),
      ),
    fc
      .constantFrom('price', 'submit', 'approve')
      .map(
        (action) => (targets: HostileTargets) =>
          get(
            `POST /quotes/{id}/${action}`,
            `${action} an ACCEPTED quote`,
            `/quotes/${targets.acceptedQuote}/${action}`,
            {},
            'POST',
          )(targets),
      ),
    fc.constant((targets: HostileTargets) =>
      get(
        'POST /quotes/{id}/price',
        'a total beyond exact integers',
        `/quotes/${targets.overflowQuote}/price`,
        {},
        'POST',
      )(targets),
    ),
    fc
      .tuple(
        fc.constantFrom('PUT', 'DELETE', 'PATCH'),
        fc.constantFrom('/quotes', '/catalog/publish', '/orders', '/approval-policy/publish'),
      )
      .map(([method, path]) => get(`${method} ${path}`, `method ${method}`, path, {}, method)),
  );
}

/** One malformed request, over every endpoint and mutation. */
export function hostileRequest(): fc.Arbitrary<(targets: HostileTargets) => HostileRequest> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.oneof(...BODY_TEMPLATES.map(bodyMutations)) },
    { weight: 1, arbitrary: requestMutations() },
  );
}

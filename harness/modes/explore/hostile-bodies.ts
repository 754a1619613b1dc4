/**
 * Malformed bodies for the contract's POST endpoints (hostile-requests.ts): one valid template per
 * endpoint, made invalid by one named mutation — a leaf set to a value invalid wherever it stands,
 * a required field dropped, a list emptied, duplicated or overgrown, a body that is not JSON or not
 * an object, empty, too large or of another content type.
 */
import fc from 'fast-check';
import type { HostileRequest, HostileTargets, Json, Template } from './hostile-types.ts';

const offering = { offeringId: 'router', name: 'Router', family: 'network', active: true };
export const BODY_TEMPLATES: Template[] = [
  {
    endpoint: 'POST /catalog/publish',
    method: 'POST',
    path: () => '/catalog/publish',
    body: { offerings: [offering] },
    required: [
      'offerings',
      'offerings[0].offeringId',
      'offerings[0].name',
      'offerings[0].family',
      'offerings[0].active',
    ],
    list: { path: 'offerings', max: 10_000, unique: true },
  },
  {
    endpoint: 'POST /price-lists/publish',
    method: 'POST',
    path: () => '/price-lists/publish',
    body: { currency: 'EUR', entries: [{ offeringId: 'router', unitPriceCents: 100 }] },
    required: ['currency', 'entries', 'entries[0].offeringId', 'entries[0].unitPriceCents'],
    list: { path: 'entries', max: 10_000, unique: true },
  },
  {
    endpoint: 'POST /approval-policy/publish',
    method: 'POST',
    path: () => '/approval-policy/publish',
    body: { maxDiscountPctWithoutApproval: 10 },
    required: ['maxDiscountPctWithoutApproval'],
  },
  {
    endpoint: 'POST /quotes',
    method: 'POST',
    path: () => '/quotes',
    body: { customerId: 'c-1', currency: 'EUR', items: [{ offeringId: 'switch', quantity: 1, discountPct: 0 }] },
    required: ['customerId', 'currency', 'items', 'items[0].offeringId', 'items[0].quantity'],
    // A quote may list one offering twice: its items need not be unique.
    list: { path: 'items', max: 100, unique: false },
  },
];

/**
 * Values invalid wherever they stand in these bodies: every string field is an id, a code or a
 * bounded text, every number an integer or a two-decimal percentage within bounds, `active` a boolean.
 */
const BAD_VALUES: [string, Json][] = [
  ['null', null],
  ['empty array', []],
  ['empty object', {}],
  ['empty string', ''],
  ['NUL byte', 'a\u0000b'],
  ['lone surrogate', 'x\uD800'],
  ['lone low surrogate', '\uDC00y'],
  ['300 characters', 'x'.repeat(300)],
  ['negative', -1],
  ['huge number', 1e308],
  ['three decimals', 1.005],
  ['beyond 2^53', 2 ** 53 + 2],
];

const RAW_BODIES: [string, string][] = [
  ['truncated JSON', '{"offerings": ['],
  ['NaN literal', '{"maxDiscountPctWithoutApproval": NaN}'],
  ['Infinity literal', '{"unitPriceCents": Infinity}'],
  ['single quotes', "{'a': 1}"],
  ['JSON array', '[]'],
  ['JSON string', '"hello"'],
  ['JSON number', '42'],
  ['JSON null', 'null'],
  ['prototype pollution', '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}'],
];

/** Sets `value` at a dotted path (with `[i]` indices) in a deep copy of `body`; undefined removes it. */
export function setAt(body: Json, path: string, value: Json | undefined): Json {
  const copy = JSON.parse(JSON.stringify(body)) as Json;
  const keys = path.split(/\.|(?=\[)/).map((k) => (k.startsWith('[') ? Number(k.slice(1, -1)) : k));
  let node = copy as Record<string | number, Json>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = keys[keys.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** Every leaf path of a body (what a bad value can replace). */
export function leaves(body: Json, prefix = ''): string[] {
  if (Array.isArray(body)) return body.flatMap((v, i) => leaves(v, `${prefix}[${i}]`));
  if (body !== null && typeof body === 'object')
    return Object.entries(body).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

const json = (
  t: Template,
  targets: HostileTargets,
  mutation: string,
  body: Json | string,
  extra: Record<string, string> = {},
): HostileRequest => ({
  endpoint: t.endpoint,
  mutation,
  method: t.method,
  path: `/v1/tenants/${targets.tenant}${t.path(targets)}`,
  headers: { 'content-type': 'application/json', ...extra },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

export function bodyMutations(t: Template): fc.Arbitrary<(targets: HostileTargets) => HostileRequest> {
  const body = t.body as Json;
  const options: fc.Arbitrary<(targets: HostileTargets) => HostileRequest>[] = [
    fc
      .tuple(fc.constantFrom(...leaves(body)), fc.constantFrom(...BAD_VALUES), fc.boolean())
      .map(([path, [name, value], extra]) => (targets) => {
        const bad = setAt(body, path, value);
        const withExtra =
          extra && bad && typeof bad === 'object' && !Array.isArray(bad) ? { ...bad, unexpected: 'field' } : bad;
        return json(t, targets, `${path} = ${name}${extra ? ' (+ an extra field)' : ''}`, withExtra);
      }),
    fc.constantFrom(...RAW_BODIES).map(
      ([name, raw]) =>
        (targets) =>
          json(t, targets, name, raw),
    ),
    fc.constant((targets) => json(t, targets, 'empty body', '')),
    fc.constant((targets) => ({
      ...json(t, targets, 'text/plain content type', body),
      headers: { 'content-type': 'text/plain' },
    })),
    fc.constant((targets) =>
      json(t, targets, 'body over 1 MiB', { ...(body as object), padding: 'x'.repeat(1_100_000) }),
    ),
  ];
  if (t.required?.length)
    options.push(
      fc
        .constantFrom(...t.required)
        .map((path) => (targets) => json(t, targets, `${path} missing`, setAt(body, path, undefined))),
    );
  if (t.list) {
    const { path, max, unique } = t.list;
    const entry = leaves(body).find((l) => l.startsWith(`${path}[0]`))
      ? (JSON.parse(JSON.stringify(body)) as Record<string, Json[]>)[path]?.[0]
      : undefined;
    options.push(
      fc
        .constantFrom(...(unique ? ['empty', 'duplicate', 'too many'] : ['empty', 'too many']))
        .map((kind) => (targets) => {
          const list =
            kind === 'empty'
              ? []
              : kind === 'duplicate'
                ? [entry, entry]
                : Array.from({ length: max + 1 }, () => entry);
          return json(t, targets, `${path} ${kind}`, setAt(body, path, list as Json));
        }),
    );
  }
  return fc.oneof(...options);
}

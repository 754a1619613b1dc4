/**
 * Parsing of untrusted input (HTTP bodies, path parameters, headers) into typed commands, through
 * zod schemas whose output types are the commands' types. Anything malformed becomes one 400
 * VALIDATION_FAILED listing every problem by path (`items[0].quantity: …`); nothing is written.
 * Each field reports at most one problem, in the words below; unknown members are ignored.
 */
import { z } from 'zod';
import { DomainError } from './errors.ts';
import type { ApprovalPolicy } from './types.ts';

/** Ids appear inside ':'-separated cache keys, so ':' is not allowed. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_ITEMS = 100;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_OFFERINGS = 10_000;

/** A string matching `pattern`, else `why`. */
const matching = (pattern: RegExp, why: string) => z.string({ error: why }).regex(pattern, { error: why });

const id = matching(ID, 'must be 1–64 characters of A–Z a–z 0–9 . _ - (starting alphanumeric)');
const currency = matching(CURRENCY, 'must be a three-letter upper-case ISO 4217 code');

function text(max: number) {
  const why = `must be a non-empty string of at most ${max} characters`;
  return z.string({ error: why }).superRefine((value, ctx) => {
    if (value.trim().length === 0 || value.length > max) ctx.addIssue({ code: 'custom', message: why });
    // PostgreSQL text cannot hold NUL, and a lone surrogate is not UTF-8: both are refused here, not by the database.
    else if (value.includes('\u0000') || LONE_SURROGATE.test(value))
      ctx.addIssue({ code: 'custom', message: 'must be well-formed Unicode without NUL characters' });
  });
}

function integer(min: number, max: number) {
  const why = `must be an integer from ${min} to ${max}`;
  return z.number({ error: why }).refine((n) => Number.isInteger(n) && n >= min && n <= max, { error: why });
}

const percent = z
  .number({ error: 'must be a number from 0 to 100 with at most two decimals' })
  .refine((n) => n >= 0 && n <= 100 && Math.round(n * 100) === n * 100, {
    error: 'must be a number from 0 to 100 with at most two decimals',
  });

/** A mapping (unknown members dropped). */
const object = <S extends z.ZodRawShape>(shape: S) => z.object(shape, { error: 'must be an object' });

/** A non-empty list of at most `max` entries whose `key`s are unique (checked once the entries are valid). */
function list<T extends z.ZodType>(item: T, max: number, key?: (entry: z.output<T>) => string) {
  const why = `must be a non-empty array of at most ${max} entries`;
  return z
    .array(item, { error: why })
    .min(1, { error: why })
    .max(max, { error: why })
    .superRefine((entries, ctx) => {
      if (!key) return;
      const seen = new Set<string>();
      entries.forEach((entry, i) => {
        const value = key(entry);
        if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate ${value}` });
        seen.add(value);
      });
    });
}

const catalogPublish = object({
  offerings: list(
    object({
      offeringId: id,
      name: text(200),
      family: text(64),
      active: z.boolean({ error: 'must be true or false' }),
    }),
    MAX_OFFERINGS,
    (o) => o.offeringId,
  ),
});

const priceListPublish = object({
  currency,
  entries: list(
    object({ offeringId: id, unitPriceCents: integer(0, 1_000_000_000_000) }),
    MAX_OFFERINGS,
    (e) => e.offeringId,
  ),
});

const policyPublish = object({ maxDiscountPctWithoutApproval: percent });

const createQuote = object({
  customerId: id,
  currency,
  items: list(
    object({
      offeringId: id,
      quantity: integer(1, 1_000_000),
      discountPct: percent.optional().transform((p) => p ?? 0),
    }),
    MAX_ITEMS,
  ),
});

export type CatalogPublish = z.output<typeof catalogPublish>;
export type PriceListPublish = z.output<typeof priceListPublish>;
export type CreateQuote = z.output<typeof createQuote>;

/**
 * `schema`'s output for `input`, or a 400 VALIDATION_FAILED naming every problem, each under
 * `at` (a path parameter's name) and its own path.
 */
function parse<S extends z.ZodType>(schema: S, input: unknown, at: PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => {
    const where = [...at, ...issue.path].map((k, i) =>
      typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`,
    );
    return `${where.join('')}: ${issue.message}`;
  });
  throw new DomainError('VALIDATION_FAILED', errors.slice(0, 20).join('; '), 'fix the request body and send it again', {
    errors,
  });
}

/** A request body: a JSON object, else one problem for the whole body. */
function body(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new DomainError(
      'VALIDATION_FAILED',
      'the body must be a JSON object',
      'send Content-Type: application/json with an object body',
    );
  return value as Record<string, unknown>;
}

/** A tenant id from the path. */
export function parseTenantId(value: unknown): string {
  return parse(id, value, ['tenantId']);
}

/** A path id (offering, customer). */
export function parseId(name: string, value: unknown): string {
  return parse(id, value, [name]);
}

/** True for a UUID as the system writes them (lower-case hex, 8-4-4-4-12). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** `olderThanSec` of the reconcile endpoint: whole seconds, at most a year (30 when absent). */
export function parseOlderThanSec(value: unknown): number {
  if (value === undefined) return 30;
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(n <= 31_536_000))
    throw new DomainError('VALIDATION_FAILED', 'olderThanSec must be whole seconds from 0 to 31536000 (a year)');
  return n;
}

/** A quote or order id from the path: a UUID, or 404 (it cannot exist). */
export function parseUuid(name: string, value: unknown): string {
  if (!isUuid(value)) throw new DomainError('NOT_FOUND', `no ${name} ${String(value)}`);
  return value;
}

export function parseCurrency(value: unknown): string {
  return parse(currency, value, ['currency']);
}

/** `{offerings:[{offeringId,name,family,active}]}` */
export const parseCatalogPublish = (input: unknown): CatalogPublish => parse(catalogPublish, body(input));

/** `{currency,entries:[{offeringId,unitPriceCents}]}` */
export const parsePriceListPublish = (input: unknown): PriceListPublish => parse(priceListPublish, body(input));

/** `{maxDiscountPctWithoutApproval}` */
export const parsePolicyPublish = (input: unknown): ApprovalPolicy => parse(policyPublish, body(input));

/** `{customerId,currency,items:[{offeringId,quantity,discountPct}]}` */
export const parseCreateQuote = (input: unknown): CreateQuote => parse(createQuote, body(input));

/** The `Idempotency-Key` header: required, 1–200 visible ASCII characters. */
export function parseIdempotencyKey(value: unknown): string {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(value)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'the Idempotency-Key header is required (1–200 visible ASCII characters)',
      'send a unique Idempotency-Key per intended conversion and reuse it on retries',
    );
  }
  return value;
}

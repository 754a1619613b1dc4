/**
 * Parsing of untrusted input (HTTP bodies, path parameters, headers) into typed commands. Anything
 * malformed becomes one 400 VALIDATION_FAILED listing every problem by path; nothing is written.
 */
import { DomainError } from './errors.ts';
import type { ApprovalPolicy, Offering, PriceEntry, QuoteItem } from './types.ts';

/** Ids appear inside ':'-separated cache keys, so ':' is not allowed. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_ITEMS = 100;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_OFFERINGS = 10_000;

class Issues {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
  throwIfAny(): void {
    if (this.list.length > 0) {
      throw new DomainError(
        'VALIDATION_FAILED',
        this.list.slice(0, 20).join('; '),
        'fix the request body and send it again',
        {
          errors: this.list,
        },
      );
    }
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function id(issues: Issues, path: string, value: unknown): string {
  if (typeof value !== 'string' || !ID.test(value))
    issues.add(path, 'must be 1–64 characters of A–Z a–z 0–9 . _ - (starting alphanumeric)');
  return value as string;
}

function text(issues: Issues, path: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max)
    issues.add(path, `must be a non-empty string of at most ${max} characters`);
  // PostgreSQL text cannot hold NUL, and a lone surrogate is not UTF-8: both are refused here, not by the database.
  else if (value.includes('\u0000') || LONE_SURROGATE.test(value))
    issues.add(path, 'must be well-formed Unicode without NUL characters');
  return value as string;
}

function integer(issues: Issues, path: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    issues.add(path, `must be an integer from ${min} to ${max}`);
  return value as number;
}

function percent(issues: Issues, path: string, value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    value > 100 ||
    Math.round(value * 100) !== value * 100
  ) {
    issues.add(path, 'must be a number from 0 to 100 with at most two decimals');
  }
  return value as number;
}

function currency(issues: Issues, path: string, value: unknown): string {
  if (typeof value !== 'string' || !CURRENCY.test(value))
    issues.add(path, 'must be a three-letter upper-case ISO 4217 code');
  return value as string;
}

function list(issues: Issues, path: string, value: unknown, max: number): unknown[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > max) {
    issues.add(path, `must be a non-empty array of at most ${max} entries`);
    return [];
  }
  return value;
}

function body(value: unknown): Record<string, unknown> {
  if (!isObject(value))
    throw new DomainError(
      'VALIDATION_FAILED',
      'the body must be a JSON object',
      'send Content-Type: application/json with an object body',
    );
  return value;
}

function unique(issues: Issues, path: string, ids: string[]): void {
  const seen = new Set<string>();
  for (const [i, value] of ids.entries()) {
    if (seen.has(value)) issues.add(`${path}[${i}]`, `duplicate ${value}`);
    seen.add(value);
  }
}

/** A tenant id from the path. */
export function parseTenantId(value: unknown): string {
  const issues = new Issues();
  const tenantId = id(issues, 'tenantId', value);
  issues.throwIfAny();
  return tenantId;
}

/** A path id (offering, customer). */
export function parseId(name: string, value: unknown): string {
  const issues = new Issues();
  const parsed = id(issues, name, value);
  issues.throwIfAny();
  return parsed;
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
  if (typeof value !== 'string' || !UUID.test(value)) throw new DomainError('NOT_FOUND', `no ${name} ${String(value)}`);
  return value;
}

export function parseCurrency(value: unknown): string {
  const issues = new Issues();
  const parsed = currency(issues, 'currency', value);
  issues.throwIfAny();
  return parsed;
}

/** `{offerings:[{offeringId,name,family,active}]}` */
export function parseCatalogPublish(input: unknown): { offerings: Offering[] } {
  const issues = new Issues();
  const raw = body(input);
  const offerings = list(issues, 'offerings', raw.offerings, MAX_OFFERINGS).map((entry, i) => {
    const path = `offerings[${i}]`;
    if (!isObject(entry)) {
      issues.add(path, 'must be an object');
      return undefined as unknown as Offering;
    }
    if (typeof entry.active !== 'boolean') issues.add(`${path}.active`, 'must be true or false');
    return {
      offeringId: id(issues, `${path}.offeringId`, entry.offeringId),
      name: text(issues, `${path}.name`, entry.name, 200),
      family: text(issues, `${path}.family`, entry.family, 64),
      active: entry.active as boolean,
    };
  });
  issues.throwIfAny();
  unique(
    issues,
    'offerings',
    offerings.map((o) => o.offeringId),
  );
  issues.throwIfAny();
  return { offerings };
}

/** `{currency,entries:[{offeringId,unitPriceCents}]}` */
export function parsePriceListPublish(input: unknown): { currency: string; entries: PriceEntry[] } {
  const issues = new Issues();
  const raw = body(input);
  const parsedCurrency = currency(issues, 'currency', raw.currency);
  const entries = list(issues, 'entries', raw.entries, MAX_OFFERINGS).map((entry, i) => {
    const path = `entries[${i}]`;
    if (!isObject(entry)) {
      issues.add(path, 'must be an object');
      return undefined as unknown as PriceEntry;
    }
    return {
      offeringId: id(issues, `${path}.offeringId`, entry.offeringId),
      unitPriceCents: integer(issues, `${path}.unitPriceCents`, entry.unitPriceCents, 0, 1_000_000_000_000),
    };
  });
  issues.throwIfAny();
  unique(
    issues,
    'entries',
    entries.map((e) => e.offeringId),
  );
  issues.throwIfAny();
  return { currency: parsedCurrency, entries };
}

/** `{maxDiscountPctWithoutApproval}` */
export function parsePolicyPublish(input: unknown): ApprovalPolicy {
  const issues = new Issues();
  const raw = body(input);
  const max = percent(issues, 'maxDiscountPctWithoutApproval', raw.maxDiscountPctWithoutApproval);
  issues.throwIfAny();
  return { maxDiscountPctWithoutApproval: max };
}

/** `{customerId,currency,items:[{offeringId,quantity,discountPct}]}` */
export function parseCreateQuote(input: unknown): { customerId: string; currency: string; items: QuoteItem[] } {
  const issues = new Issues();
  const raw = body(input);
  const customerId = id(issues, 'customerId', raw.customerId);
  const parsedCurrency = currency(issues, 'currency', raw.currency);
  const items = list(issues, 'items', raw.items, MAX_ITEMS).map((entry, i) => {
    const path = `items[${i}]`;
    if (!isObject(entry)) {
      issues.add(path, 'must be an object');
      return undefined as unknown as QuoteItem;
    }
    return {
      offeringId: id(issues, `${path}.offeringId`, entry.offeringId),
      quantity: integer(issues, `${path}.quantity`, entry.quantity, 1, 1_000_000),
      discountPct: entry.discountPct === undefined ? 0 : percent(issues, `${path}.discountPct`, entry.discountPct),
    };
  });
  issues.throwIfAny();
  return { customerId, currency: parsedCurrency, items };
}

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

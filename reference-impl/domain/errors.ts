/**
 * Business errors of the CPQ/OMS domain, each with the problem code and HTTP status of contract
 * section 3 and, where there is one, what the client should do next.
 */

/** Problem codes of contract section 3 (and a few the contract leaves open). */
export type ProblemCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'OFFERING_INACTIVE'
  | 'PRICE_NOT_FOUND'
  | 'REVISION_CONFLICT'
  | 'QUOTE_PRICING_STALE'
  | 'CATALOG_VERSION_STALE'
  | 'APPROVAL_POLICY_STALE'
  | 'INVALID_STATE'
  | 'APPROVAL_REQUIRED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'QUOTE_ALREADY_CONVERTED'
  | 'TOTAL_OUT_OF_RANGE'
  | 'SERVICE_UNAVAILABLE';

const STATUS: Record<ProblemCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  OFFERING_INACTIVE: 422,
  PRICE_NOT_FOUND: 422,
  REVISION_CONFLICT: 409,
  QUOTE_PRICING_STALE: 409,
  CATALOG_VERSION_STALE: 409,
  APPROVAL_POLICY_STALE: 409,
  INVALID_STATE: 409,
  APPROVAL_REQUIRED: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  QUOTE_ALREADY_CONVERTED: 409,
  TOTAL_OUT_OF_RANGE: 422,
  SERVICE_UNAVAILABLE: 503,
};

/** A rejected command: never a crash, always a problem+json answer. */
export class DomainError extends Error {
  readonly status: number;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly remediation?: string,
    /** Extra members of the problem body (e.g. the existing `orderId`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${detail}`);
    this.status = STATUS[code];
  }
}

/** The stale-rejection codes submit can answer with. */
export const STALE_CODES = ['QUOTE_PRICING_STALE', 'CATALOG_VERSION_STALE', 'APPROVAL_POLICY_STALE'] as const;

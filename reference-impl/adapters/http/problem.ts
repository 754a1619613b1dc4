/**
 * application/problem+json bodies (RFC 9457) with the contract's `code` and `remediation`, and the
 * mapping of every error — business, malformed input, database or internal — onto one.
 */
import { DomainError } from '../../domain/errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  remediation?: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function problem(
  status: number,
  code: string,
  detail: string,
  remediation?: string,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: `urn:cpqchaos:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...(remediation ? { remediation } : {}),
    ...extra,
  };
}

/** PostgreSQL and network errors that mean "the database is not reachable right now". */
function isUnavailable(error: { code?: string; message?: string }): boolean {
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '57014', '08006', '08001'].includes(
      error.code ?? '',
    ) || /timeout exceeded when trying to connect|Connection terminated|Query read timeout/i.test(error.message ?? '')
  );
}

/** The problem to answer with for `error`. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError)
    return problem(error.status, error.code, error.detail, error.remediation, error.extra);
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (e.statusCode === 413) return problem(413, 'VALIDATION_FAILED', 'the request body is too large');
  if (e.statusCode === 415 || e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return problem(415, 'VALIDATION_FAILED', 'the body must be JSON', 'send Content-Type: application/json');
  }
  if (e.statusCode === 400 || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
    return problem(
      400,
      'VALIDATION_FAILED',
      `malformed request: ${e.message ?? 'unreadable body'}`,
      'send a valid JSON object body',
    );
  }
  if (isUnavailable(e)) return problem(503, 'SERVICE_UNAVAILABLE', 'the database is unavailable', 'retry later');
  return problem(500, 'INTERNAL', 'an internal error occurred');
}

/**
 * Every request a VU makes becomes two history lines on the console (`--console-output` file):
 * `cpqchaos-op {…}` before the request (invoke) and after it (done, with the status, the fields of
 * the body the checkers need, or the transport error). The harness turns them into ops on its own
 * clock (harness/modes/load/k6-history.ts) and classifies them exactly as its own clients' ops, so
 * one process (`k6-<instance>-<vu>`) makes one request at a time and every line pairs up.
 */
import exec from 'k6/execution';
import type { RefinedResponse, ResponseType } from 'k6/http';
import { config } from './config.ts';

export const PREFIX = 'cpqchaos-op ';

/** Body fields worth recording (a union over the contract's answers; the harness picks per op). */
const FIELDS = [
  'quoteId',
  'orderId',
  'state',
  'revision',
  'catalogVersion',
  'priceListVersion',
  'policyVersion',
  'approvalRequired',
  'unitPriceCents',
  'tenantId',
  'name',
  'code',
];

const processName = (): string => `k6-${config.instance}-${exec.vu.idInTest}`;

function emit(line: Record<string, unknown>): void {
  console.log(`${PREFIX}${JSON.stringify(line)}`);
}

function picked(response: RefinedResponse<ResponseType>): Record<string, unknown> {
  if (typeof response.body !== 'string' || response.body === '') return {};
  try {
    const body = JSON.parse(response.body) as Record<string, unknown>;
    return Object.fromEntries(FIELDS.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
  } catch {
    return {};
  }
}

/** Records `f` with `value`, performs `call`, records what came back; returns the response. */
export function recorded(
  f: string,
  value: Record<string, unknown>,
  call: () => RefinedResponse<ResponseType>,
): RefinedResponse<ResponseType> {
  const p = processName();
  emit({ t: Date.now(), p, type: 'invoke', f, value });
  const response = call();
  emit({
    t: Date.now(),
    p,
    type: 'done',
    f,
    value,
    status: response.status,
    body: picked(response),
    ...(response.error ? { error: response.error } : {}),
  });
  return response;
}

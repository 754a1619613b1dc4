/**
 * How an answer becomes a completion op — one place for the harness's own clients (operations.ts)
 * and for requests k6 made (k6-history.ts): `ok` on 2xx with the fields of the body the checkers
 * need; `fail` with the problem code on 4xx; and for a command that got a 5xx, timed out or lost
 * its connection, `info` (it may or may not have happened). Reads have no effect, so a read that
 * did not answer is a `fail`.
 */
import type { Op } from '../core/op.ts';

type Body = Record<string, unknown>;

/** What came back: a status and a parsed body, or a transport error (`timeout`, a message). */
export type Answer = { status: number; body: Body } | { error: string };

/** Picks the fields worth recording from a success body. */
const pick = (body: Body, keys: readonly string[]): Body =>
  Object.fromEntries(keys.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));

const QUOTE_FIELDS = ['state', 'revision', 'catalogVersion', 'priceListVersion', 'policyVersion', 'approvalRequired'];
const VERSION_FIELD: Record<string, string> = {
  catalog: 'catalogVersion',
  pricing: 'priceListVersion',
  policy: 'policyVersion',
};

interface OpKind {
  /** A command has effects: an unanswered one is `info`. */
  command: boolean;
  extract(body: Body, value: Body): Body;
}

const quoteStep: OpKind = { command: true, extract: (b) => pick(b, QUOTE_FIELDS) };

/** The ops of the vocabulary the workload performs, by `f`. */
export const OP_KINDS: Readonly<Record<string, OpKind>> = {
  publish: { command: true, extract: (b, v) => ({ version: b[VERSION_FIELD[String(v.domain)] ?? ''] }) },
  'create-quote': { command: true, extract: (b) => pick(b, ['quoteId', 'state', 'revision']) },
  price: quoteStep,
  submit: quoteStep,
  approve: quoteStep,
  accept: quoteStep,
  convert: { command: true, extract: (b) => pick(b, ['orderId']) },
  'read-price': { command: false, extract: (b) => pick(b, ['unitPriceCents', 'priceListVersion', 'tenantId']) },
  'read-offering': { command: false, extract: (b) => pick(b, ['name', 'catalogVersion', 'tenantId']) },
};

/** The completion of op `f` invoked with `value`, given what came back (process, index and time are the caller's). */
export function completionOf(f: string, value: Body, answer: Answer): Pick<Op, 'type' | 'f' | 'value' | 'error'> {
  const kind = OP_KINDS[f];
  if (!kind) throw new Error(`unknown op ${f}`);
  if ('error' in answer) return { type: kind.command ? 'info' : 'fail', f, value, error: answer.error };
  const { status, body } = answer;
  if (status >= 200 && status < 300)
    // Commands keep their status (201 vs 200 matters to idempotent replays); reads stay lean.
    return { type: 'ok', f, value: { ...value, ...(kind.command ? { status } : {}), ...kind.extract(body, value) } };
  const code = typeof body.code === 'string' ? body.code : `HTTP ${status}`;
  const indeterminate = kind.command && status >= 500;
  return {
    type: indeterminate ? 'info' : 'fail',
    f,
    // A refusal can name facts too (409 QUOTE_ALREADY_CONVERTED names the existing order).
    value: { ...value, status, ...kind.extract(body, value) },
    error: indeterminate ? `${code} (HTTP ${status})` : code,
  };
}

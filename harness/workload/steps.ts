/**
 * Steps as data (fast-check's commands, Jepsen's ops): each business operation or fault of an
 * exploration is a small typed value with a readable description, run by the interpreter
 * (step-interpreter.ts). Tenants and quotes are named by position — `t1` is the run's second
 * tenant, `q0` the first quote the run created — so a step list means the same thing on fresh
 * tenants, and a shrunk counterexample stored as JSON replays anywhere. The scenarios' workers
 * (cpq-steps.ts) draw and run the same values, so their steps and an exploration's read alike.
 */
import { CURRENCIES, OFFERING_IDS } from './tenant-data.ts';

export type QuoteAction = 'price' | 'submit' | 'approve' | 'accept';
/** A further line of a quote beyond its first. */
export interface QuoteLine {
  offering: string;
  quantity: number;
  discountPct: number;
}
/** How far a new quote is walked, in order. */
export const QUOTE_STAGES = ['draft', 'priced', 'accepted', 'ordered'] as const;
export type QuoteStage = (typeof QUOTE_STAGES)[number];
export type Currency = (typeof CURRENCIES)[number];

export type Step =
  /**
   * The next round of distinguishable catalog or price-list content for a tenant (a price list in
   * `currency`, EUR unless named) — `times` rounds back to back for a storm — with `reads` browse
   * reads of its offerings from every API instance racing it (0: none).
   */
  | {
      kind: 'publish';
      tenant: number;
      domain: 'catalog' | 'pricing';
      reads?: number;
      currency?: Currency;
      times?: number;
    }
  /**
   * A new approval policy; with `submit`, that quote is submitted the moment the publish is
   * acknowledged (a sales rep submitting as an admin tightens the rules: the window in which only
   * the caches still hold the old policy).
   */
  | { kind: 'publish-policy'; tenant: number; maxDiscountPct: number; submit?: number }
  /**
   * A new quote, walked on to `upTo` (draft: created only; accepted: priced, submitted, approved if
   * needed, accepted; ordered: accepted, then converted under key `a` — a new order, an event for
   * the consumers).
   */
  | {
      kind: 'create-quote';
      tenant: number;
      offering: string;
      quantity: number;
      discountPct: number;
      upTo: QuoteStage;
      more?: QuoteLine[];
    }
  | { kind: 'quote'; quote: number; action: QuoteAction }
  /**
   * `copies` concurrent converts of one quote with idempotency key `key` (a retry storm); with
   * `timeoutMs`, the first copy gives up after that long and, if its answer was lost, is retried
   * with the same key (a client retrying after a timeout).
   */
  | { kind: 'convert'; quote: number; key: string; copies: number; timeoutMs?: number }
  /** A browse read; a price in `currency` (EUR unless named). */
  | {
      kind: 'read';
      tenant: number;
      what: 'price' | 'offering';
      offering: string;
      instance: number;
      currency?: Currency;
    }
  /** A new catalog version, then `requests` concurrent reads of one cold offering over a slowed source. */
  | { kind: 'stampede'; tenant: number; requests: number }
  /**
   * `requests` at once through api-0 (a batch import, a form submitted again and again): quotes
   * created and, every other request, one of the tenant's quotes converted under a key of its own.
   */
  | { kind: 'burst'; tenant: number; requests: number }
  | { kind: 'fault'; fault: string; action: 'start' | 'stop' }
  /** Lets asynchronous work (relay, consumers, invalidation) move on. */
  | { kind: 'wait'; ms: number };

/** One line per step, as a counterexample prints it. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'publish':
      return `publish ${step.domain}${step.currency ? ` ${step.currency}` : ''} t${step.tenant}${step.times && step.times > 1 ? ` ×${step.times} back to back` : ''}${step.reads ? ` while ${step.reads} reads race it` : ''}`;
    case 'publish-policy':
      return `publish policy t${step.tenant} (approval above ${step.maxDiscountPct}%)${step.submit === undefined ? '' : `, then submit q${step.submit} at once`}`;
    case 'create-quote':
      return `create quote t${step.tenant}: ${[step, ...(step.more ?? [])].map((l) => `${l.quantity}× ${l.offering} at ${l.discountPct}% off`).join(' + ')}${step.upTo === 'draft' ? '' : `, ${step.upTo}`}`;
    case 'quote':
      return `${step.action} q${step.quote}`;
    case 'convert':
      return `convert q${step.quote} key ${step.key}${step.copies > 1 ? ` ×${step.copies} at once` : ''}${step.timeoutMs ? `, first giving up after ${step.timeoutMs} ms and retried` : ''}`;
    case 'read':
      return `read ${step.what} ${step.offering}${step.currency ? ` in ${step.currency}` : ''} t${step.tenant} via api-${step.instance}`;
    case 'stampede':
      return `stampede t${step.tenant}: ${step.requests} concurrent reads of a cold offering`;
    case 'burst':
      return `burst t${step.tenant}: ${step.requests} requests at once via api-0, creates and converts of its quotes`;
    case 'fault':
      return `${step.action === 'start' ? 'start' : 'heal'} ${step.fault}`;
    case 'wait':
      return `wait ${step.ms} ms`;
  }
}

/** Numbered lines, as the CLI prints a counterexample. */
export function describeSteps(steps: readonly Step[]): string[] {
  return steps.map((step, i) => `${String(i + 1).padStart(2)}. ${describeStep(step)}`);
}

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const oneOf = <T extends string>(v: unknown, values: readonly T[]): v is T =>
  typeof v === 'string' && (values as readonly string[]).includes(v);

function lineProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const l = value as Record<string, unknown>;
  return oneOf(l.offering, OFFERING_IDS) && isInt(l.quantity, 1, 1000) && isInt(l.discountPct, 0, 100)
    ? undefined
    : 'bad line';
}

/** Why `value` is not a step (undefined when it is one) — for steps read back from a file. */
export function stepProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const s = value as Record<string, unknown>;
  const tenant = () => (isInt(s.tenant, 0, 15) ? undefined : 'tenant must be an integer 0..15');
  const offering = () =>
    oneOf(s.offering, OFFERING_IDS) ? undefined : `offering must be one of ${OFFERING_IDS.join(', ')}`;
  const quote = () => (isInt(s.quote, 0, 1000) ? undefined : 'quote must be an integer 0..1000');
  const currency = () =>
    s.currency === undefined || oneOf(s.currency, CURRENCIES)
      ? undefined
      : `currency must be one of ${CURRENCIES.join(', ')}`;
  switch (s.kind) {
    case 'publish':
      return (
        tenant() ??
        (oneOf(s.domain, ['catalog', 'pricing']) ? undefined : 'domain must be catalog or pricing') ??
        (s.reads === undefined || isInt(s.reads, 0, 1000) ? undefined : 'reads must be 0..1000') ??
        (s.times === undefined || isInt(s.times, 1, 100) ? undefined : 'times must be 1..100') ??
        currency()
      );
    case 'publish-policy':
      return (
        tenant() ??
        (isInt(s.maxDiscountPct, 0, 100) ? undefined : 'maxDiscountPct must be 0..100') ??
        (s.submit === undefined || isInt(s.submit, 0, 1000) ? undefined : 'submit must be a quote 0..1000')
      );
    case 'create-quote':
      return (
        tenant() ??
        offering() ??
        (isInt(s.quantity, 1, 1000) ? undefined : 'quantity must be 1..1000') ??
        (isInt(s.discountPct, 0, 100) ? undefined : 'discountPct must be 0..100') ??
        (oneOf(s.upTo, QUOTE_STAGES) ? undefined : `upTo must be one of ${QUOTE_STAGES.join(', ')}`) ??
        (s.more === undefined || (Array.isArray(s.more) && s.more.every((l) => lineProblem(l) === undefined))
          ? undefined
          : 'more must be lines {offering, quantity 1..1000, discountPct 0..100}')
      );
    case 'quote':
      return (
        quote() ?? (oneOf(s.action, ['price', 'submit', 'approve', 'accept']) ? undefined : 'unknown quote action')
      );
    case 'convert':
      return (
        quote() ??
        (typeof s.key === 'string' && s.key.length > 0 ? undefined : 'key must be a string') ??
        (isInt(s.copies, 1, 50) ? undefined : 'copies must be 1..50') ??
        (s.timeoutMs === undefined || isInt(s.timeoutMs, 1, 60_000) ? undefined : 'timeoutMs must be 1..60000')
      );
    case 'read':
      return (
        tenant() ??
        offering() ??
        (oneOf(s.what, ['price', 'offering']) ? undefined : 'what must be price or offering') ??
        (isInt(s.instance, 0, 15) ? undefined : 'instance must be 0..15') ??
        currency()
      );
    case 'stampede':
      return tenant() ?? (isInt(s.requests, 2, 1000) ? undefined : 'requests must be 2..1000');
    case 'burst':
      return tenant() ?? (isInt(s.requests, 2, 200) ? undefined : 'requests must be 2..200');
    case 'fault':
      return typeof s.fault === 'string' && oneOf(s.action, ['start', 'stop'])
        ? undefined
        : 'fault needs a name and start|stop';
    case 'wait':
      return isInt(s.ms, 0, 60_000) ? undefined : 'ms must be 0..60000';
    default:
      return `unknown step kind ${JSON.stringify(s.kind)}`;
  }
}

/** The tenants a step list names (at least one). */
export function tenantsNamed(steps: readonly Step[]): number {
  return 1 + Math.max(0, ...steps.map((s) => ('tenant' in s ? s.tenant : 0)));
}

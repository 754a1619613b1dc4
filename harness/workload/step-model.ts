/**
 * The exploration's model: what the run has done so far (quotes by position, acknowledged publish
 * versions per tenant and domain, faults in effect, orders per quote) and what must hold after each
 * step. Pure: it sees a step and the completion ops the interpreter recorded for it.
 *
 * Rules checked as the run goes (the checkers judge the whole history again at the end):
 * - a submit that succeeds after a newer catalog, price list or policy than the quote was priced
 *   with had been acknowledged is a commitment at a superseded version;
 * - a quote has at most one order, whatever the keys; a key that once got an order gets the same
 *   order on every later replay (never a refusal that names another request).
 */
import type { ModelViolation } from '../core/final-state.ts';
import type { Op } from '../core/op.ts';
import { num, str } from '../core/vocabulary.ts';
import type { Step } from './steps.ts';

export interface ModelQuote {
  tenant: number;
  quoteId: string;
  /** Versions the quote was last priced with. */
  priced?: { catalog?: number; pricing?: number; policy?: number };
  order?: string;
  /** Keys that got an order, and which. */
  keys: Map<string, string>;
}

export type { ModelViolation } from '../core/final-state.ts';

const DOMAIN_FIELDS = { catalog: 'catalogVersion', pricing: 'priceListVersion', policy: 'policyVersion' } as const;

export class ExploreModel {
  readonly quotes: ModelQuote[] = [];
  /** Faults in effect → the position of the step that started each. */
  private readonly active = new Map<string, number>();
  /** `${tenant}:${domain}` → newest acknowledged version. */
  readonly acknowledged = new Map<string, number>();
  readonly violations: ModelViolation[] = [];
  private position = 0;

  /** `faultNames`: the faults this run can start; `tenantNames`: the run's tenants, by position. */
  constructor(
    readonly faultNames: ReadonlySet<string>,
    readonly tenantNames: readonly string[],
  ) {}

  /**
   * The step as it will run: a quote position past the quotes created so far wraps around, so a
   * drawn step rarely goes to waste (and a counterexample names the quote it really used).
   */
  resolve(step: Step): Step {
    // A convert counts from the newest quote (mostly drawn 0): a quote created since the last
    // convert makes a new order — an event for the consumers — instead of replaying an old one.
    if (step.kind === 'convert' && this.quotes.length > 0)
      return { ...step, quote: this.quotes.length - 1 - (step.quote % this.quotes.length) };
    if (step.kind === 'quote' && this.quotes.length > 0) return { ...step, quote: step.quote % this.quotes.length };
    if (step.kind === 'publish-policy' && step.submit !== undefined) {
      const { submit, ...publish } = step;
      return this.quotes.length > 0 ? { ...publish, submit: submit % this.quotes.length } : publish;
    }
    return step;
  }

  /** Steps observed so far: the position of the step under way. */
  get steps(): number {
    return this.position;
  }

  /** Whether the step can run now (a quote exists; a fault starts only when off and heals only when on). */
  applicable(step: Step): boolean {
    if (step.kind === 'quote' || step.kind === 'convert') return this.quotes.length > 0;
    if (step.kind === 'fault')
      return this.faultNames.has(step.fault) && (step.action === 'start') !== this.active.has(step.fault);
    return true;
  }

  /**
   * Faults of `capped` in effect for `steps` steps or more since the one that started them: the
   * exploration heals these before its next step (a freeze held over many steps makes each of them
   * wait out the system's budget, and holds every sequence running at once as long).
   */
  heldOver(capped: ReadonlySet<string>, steps: number): string[] {
    return [...this.active].filter(([f, at]) => capped.has(f) && this.position - at > steps).map(([f]) => f);
  }

  /** Takes in one performed step and the completions it recorded; returns new violations. */
  observe(step: Step, completions: readonly Op[]): ModelViolation[] {
    const at = this.position++;
    const found: ModelViolation[] = [];
    const flag = (text: string, op: Op) => found.push({ step: at, text, ops: [op.index] });
    if (step.kind === 'fault') {
      if (step.action === 'start') this.active.set(step.fault, at);
      else this.active.delete(step.fault);
    }
    for (const op of completions) {
      if (op.type !== 'ok') continue;
      if (op.f === 'publish') this.published(op);
      if (op.f === 'create-quote' && step.kind === 'create-quote' && str(op.value.quoteId))
        this.quotes.push({ tenant: step.tenant, quoteId: str(op.value.quoteId) as string, keys: new Map() });
    }
    for (const op of completions) {
      const quote = this.quotes.find((q) => q.quoteId === str(op.value.quoteId));
      if (!quote) continue;
      if (op.f === 'price' && op.type === 'ok') quote.priced = this.versionsOf(op);
      if (op.f === 'submit' && op.type === 'ok') this.checkSubmit(quote, (text) => flag(text, op));
      if (op.f === 'convert') this.checkConvert(quote, op, (text) => flag(text, op));
    }
    this.violations.push(...found);
    return found;
  }

  private published(op: Op): void {
    const domain = str(op.value.domain);
    const version = num(op.value.version);
    const tenant = str(op.value.tenant);
    if (!domain || version === undefined || !tenant) return;
    const key = `${tenant}:${domain}`;
    this.acknowledged.set(key, Math.max(version, this.acknowledged.get(key) ?? 0));
  }

  private versionsOf(op: Op): NonNullable<ModelQuote['priced']> {
    const versions: NonNullable<ModelQuote['priced']> = {};
    for (const [domain, field] of Object.entries(DOMAIN_FIELDS)) {
      const v = num(op.value[field]);
      if (v !== undefined) versions[domain as keyof typeof DOMAIN_FIELDS] = v;
    }
    return versions;
  }

  private checkSubmit(quote: ModelQuote, flag: (text: string) => void): void {
    if (!quote.priced) return;
    for (const domain of Object.keys(DOMAIN_FIELDS) as (keyof typeof DOMAIN_FIELDS)[]) {
      const pricedWith = quote.priced[domain];
      const newest = this.acknowledged.get(`${this.tenantNames[quote.tenant] ?? ''}:${domain}`);
      if (pricedWith !== undefined && newest !== undefined && newest > pricedWith)
        flag(`submit of ${quote.quoteId} accepted at ${domain} v${pricedWith}, after v${newest} was acknowledged`);
    }
  }

  private checkConvert(quote: ModelQuote, op: Op, flag: (text: string) => void): void {
    const key = str(op.value.key) ?? '';
    const orderId = str(op.value.orderId);
    const earlier = quote.keys.get(key);
    if (op.type === 'ok' && orderId) {
      if (quote.order && quote.order !== orderId)
        flag(`a second order for ${quote.quoteId}: ${orderId} after ${quote.order}`);
      if (earlier && earlier !== orderId) flag(`key ${key} answered order ${orderId}, first ${earlier}`);
      quote.order ??= orderId;
      if (!earlier) quote.keys.set(key, orderId);
    } else if (
      op.type === 'fail' &&
      earlier &&
      ['QUOTE_ALREADY_CONVERTED', 'IDEMPOTENCY_KEY_REUSED'].includes(op.error ?? '')
    )
      flag(`the replay of key ${key} was refused with ${op.error}, though it got order ${earlier}`);
  }
}

/**
 * The business mix of one user (seed 002): mostly browse reads of a hot catalog (half the reads hit
 * the first offering), in every currency; some users walk a quote through create → price → submit
 * (re-priced once when a publish made it stale) → approve when pending → accept, and convert it
 * with an idempotency key — sometimes retried under the same key, as a client does after a lost
 * answer. Every user belongs to one of the run's tenants and pauses between steps (think time).
 */
import { sleep } from 'k6';
import exec from 'k6/execution';
import { config } from './config.ts';
import { CpqUser, field, type Line } from './cpq.ts';

const STALE = ['QUOTE_PRICING_STALE', 'CATALOG_VERSION_STALE', 'APPROVAL_POLICY_STALE'];

const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)] as T;

function think(): void {
  if (config.thinkMs > 0) sleep((config.thinkMs * (0.5 + Math.random())) / 1000);
}

/** The user of this VU: its tenant and API instance follow from its id, so they spread evenly. */
function user(): CpqUser {
  const vu = exec.vu.idInTest;
  return new CpqUser(
    config.tenants[vu % config.tenants.length] as string,
    config.apiUrls[vu % config.apiUrls.length] as string,
  );
}

function hotOffering(): string {
  return Math.random() < 0.5 ? (config.offerings[0] as string) : pick(config.offerings);
}

/** A few browse reads: an offering and its price. */
export function browse(u: CpqUser = user()): void {
  for (let i = 0; i < 1 + Math.floor(Math.random() * 3); i++) {
    const offering = hotOffering();
    u.readOffering(offering);
    u.readPrice(offering, pick(config.currencies));
    think();
  }
}

/** One quote's life, then (half the time) its conversion, sometimes retried under the same key. */
export function quoteFlow(u: CpqUser = user()): void {
  const lines: Line[] = Array.from({ length: 1 + Math.floor(Math.random() * 2) }, () => ({
    offeringId: pick(config.offerings),
    quantity: 1 + Math.floor(Math.random() * 5),
    discountPct: pick([0, 5, 10, 20]),
  }));
  const created = u.createQuote(lines, config.currencies[0] as string);
  const quoteId = field(created, 'quoteId');
  if (created.status !== 201 || typeof quoteId !== 'string') return;
  think();
  let submitted;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (u.transition(quoteId, 'price').status !== 200) return;
    think();
    submitted = u.transition(quoteId, 'submit');
    if (submitted.status === 200 || !STALE.includes(String(field(submitted, 'code')))) break;
  }
  if (submitted?.status !== 200) return;
  if (field(submitted, 'state') === 'APPROVAL_PENDING' && u.transition(quoteId, 'approve').status !== 200) return;
  if (u.transition(quoteId, 'accept').status !== 200) return;
  if (Math.random() < 0.5) return;
  think();
  const key = `${quoteId}-order`;
  const converted = u.convert(quoteId, key);
  if (converted.status === 0 || converted.status >= 500 || Math.random() < config.retryShare) u.convert(quoteId, key);
}

/** One iteration of a user: a quote flow one time in four, else browsing. */
export function businessMix(): void {
  const u = user();
  if (Math.random() < 0.25) quoteFlow(u);
  else browse(u);
}

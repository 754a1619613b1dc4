/**
 * Planted bugs (contract section 5): known defects the reference system can run with, so every
 * checker is shown to fail when it should. Off unless named in `--bugs` / `CPQ_BUGS`; an unknown
 * name is an error at start. Each is read in exactly one place, marked `planted bug`.
 *
 * The last six need a fault the first eleven never meet: a Kafka outage that outlasts the
 * producer's retries (`relay-drops-failed-batch`), a frozen Redis (`redis-no-timeout`), a crash
 * between a consumer's effect and its inbox row (`inbox-separate-transaction`), connections cut
 * mid-transaction (`leak-broken-connections`), a database refusing a consumer's writes
 * (`consumer-skips-failed-events`) and a component's clock jumping back (`wall-clock-ttl`).
 */

export const BUG_NAMES = [
  'submit-trusts-cache',
  'no-version-check',
  'policy-from-cache',
  'convert-not-idempotent',
  'idempotency-redis-only',
  'relay-marks-before-publish',
  'consumer-no-dedupe',
  'tenantless-cache-keys',
  'delete-invalidation',
  'no-single-flight',
  'redis-required',
  // Defects that only the fault classes of issue 26 reach:
  'relay-drops-failed-batch',
  'redis-no-timeout',
  'inbox-separate-transaction',
  'leak-broken-connections',
  'consumer-skips-failed-events',
  'wall-clock-ttl',
] as const;

export type BugName = (typeof BUG_NAMES)[number];

/** The set of switched-on bugs. */
export class Bugs {
  private constructor(private readonly on: ReadonlySet<BugName>) {}

  static none(): Bugs {
    return new Bugs(new Set());
  }

  /** Parses `a,b` (whitespace and empty items ignored); throws on an unknown name. */
  static parse(list: string | undefined): Bugs {
    const names = (list ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = names.filter((name) => !(BUG_NAMES as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw new Error(
        `unknown planted bug${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${BUG_NAMES.join(', ')})`,
      );
    }
    return new Bugs(new Set(names as BugName[]));
  }

  has(name: BugName): boolean {
    return this.on.has(name);
  }

  list(): BugName[] {
    return BUG_NAMES.filter((name) => this.on.has(name));
  }
}

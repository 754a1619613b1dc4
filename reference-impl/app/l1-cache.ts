/**
 * The in-process L1 cache of one API instance: a bounded map with per-entry ages, evicted by
 * prefix when a Kafka event says a tenant's domain moved on. Ages come from a monotonic clock
 * (`elapsedMs`): the wall clock can jump (NTP steps, a VM resumed, an operator's `date -s`), and an
 * age read from it would make entries immortal after a jump back — planted bug `wall-clock-ttl`.
 */

/** Milliseconds from some fixed point; only differences mean anything. */
export type ElapsedClock = () => number;

/** Monotonic milliseconds: never jumps with the wall clock. */
export const monotonicMs: ElapsedClock = () => performance.now();

export class L1Cache {
  private readonly entries = new Map<string, { value: unknown; storedAt: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly elapsedMs: ElapsedClock = monotonicMs,
  ) {}

  /** The value and its age in ms, if present. */
  get<T>(key: string): { value: T; ageMs: number } | undefined {
    const entry = this.entries.get(key);
    return entry ? { value: entry.value as T, ageMs: this.elapsedMs() - entry.storedAt } : undefined;
  }

  set(key: string, value: unknown): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.elapsedMs() });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every entry whose key starts with `prefix`. */
  evictPrefix(prefix: string): number {
    let evicted = 0;
    for (const key of this.entries.keys()) {
      if (key.startsWith(prefix)) {
        this.entries.delete(key);
        evicted++;
      }
    }
    return evicted;
  }
}

/**
 * The in-process L1 cache of one API instance: a bounded map with per-entry expiry, evicted by
 * prefix when a Kafka event says a tenant's domain moved on.
 */
export class L1Cache {
  private readonly entries = new Map<string, { value: unknown; storedAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  /** The value and its age in ms, if present. */
  get<T>(key: string): { value: T; ageMs: number } | undefined {
    const entry = this.entries.get(key);
    return entry ? { value: entry.value as T, ageMs: Date.now() - entry.storedAt } : undefined;
  }

  set(key: string, value: unknown): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: Date.now() });
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

/**
 * Exploration families' judgement parameters: the staleness budget is kept through every fault off
 * the path a publish takes to the caches, and only those (issue 26).
 */
import { describe, expect, it } from 'vitest';
import { faultCatalog, ON_FRESHNESS_PATH } from '../../faults/catalog.ts';
import { familyOf } from './family.ts';

describe('explore families: where the staleness budget is kept', () => {
  it('names only faults of the catalog as on the freshness path', () => {
    const catalog = faultCatalog();
    for (const name of ON_FRESHNESS_PATH) expect(catalog.has(name), name).toBe(true);
  });

  it('keeps the budget through Redis outages, freezes and black holes, clock jumps, lost event feeds and billing-side faults', () => {
    const kept = familyOf('all').parameters.stalenessKeptThrough ?? [];
    for (const window of [
      'redis-outage:redis',
      'redis-kill:redis',
      'redis-pause:redis',
      'redis-blackhole:redis',
      'clock-skew:api-1+api-kafka',
      'proxy-disable:api-kafka',
      'proxy-latency:api-postgres',
      'postgres-refuses-writes:billing_trigger+quote_projection',
    ])
      expect(kept, window).toContain(window);
  });

  it('excuses stale reads during faults on the way a publish reaches the caches', () => {
    const kept = familyOf('all').parameters.stalenessKeptThrough ?? [];
    const catalog = faultCatalog();
    for (const name of ON_FRESHNESS_PATH) {
      const fault = (catalog.get(name) as { fault: { name: string; target: string } }).fault;
      expect(kept, name).not.toContain(`${fault.name}:${fault.target}`);
    }
    expect(kept).not.toContain('proxy-disable:relay-kafka');
    // Redis answering the old pointer while it refuses the publish's write: stale until the feed or the heal.
    expect(kept).not.toContain('redis-refuses-writes:redis');
    expect(familyOf('cache').parameters.stalenessKeptThrough).not.toContain('invalidation-pause:invalidation');
  });
});

// Unit: availability-under-cache-outage — business rejections count as available; 5xx and
// indeterminate outcomes count against; too little evidence is unknown; a command stalled by a
// PostgreSQL fault at the same time is not counted.
import { describe, expect, it } from 'vitest';
import { availabilityUnderCacheOutage } from './availability-under-cache-outage.ts';
import { HistoryBuilder, final } from './testing/history-builder.ts';

function outage(outcomes: ('ok' | 'stale' | '503' | 'info')[]): HistoryBuilder {
  const h = new HistoryBuilder();
  h.call(9, 'create-quote', { tenant: 't' }, { quoteId: 'before' }); // outside the window: not counted
  h.fault('start', 'redis-outage');
  outcomes.forEach((outcome, i) => {
    const value = { tenant: 't', quoteId: `q${i}` };
    h.invoke(i % 4, 'submit', value);
    if (outcome === 'ok') h.ok(i % 4, 'submit', value);
    else if (outcome === 'stale') h.fail(i % 4, 'submit', value, 'QUOTE_PRICING_STALE');
    else if (outcome === '503') h.fail(i % 4, 'submit', value, 'SERVICE_UNAVAILABLE');
    else h.info(i % 4, 'submit', value);
  });
  h.fault('stop', 'redis-outage');
  return h;
}

describe('availability-under-cache-outage', () => {
  it('is valid when commands succeed or are rejected for business reasons', () => {
    const result = availabilityUnderCacheOutage.check(
      outage([...Array(90).fill('ok'), ...Array(10).fill('stale')]).ops,
      final(),
    );
    expect(result).toMatchObject({ valid: true, stats: { commands: 100, failed: 0, availability: 1 } });
  });

  it('is violated by any command that fails for the system, counting 503s and unknown outcomes', () => {
    const result = availabilityUnderCacheOutage.check(
      outage([...Array(97).fill('ok'), '503', 'info', '503']).ops,
      final(),
    );
    expect(result.valid).toBe(false);
    expect(result.stats).toMatchObject({ commands: 100, failed: 3, availability: 0.97 });
    expect(result.anomalies[0]).toMatchObject({ kind: 'unavailable-during-cache-outage', count: 3 });
  });

  it('holds the system to its promise — an outage stops no command — unless a scenario allows less', () => {
    const oneLost = outage([...Array(99).fill('ok'), 'info']).ops;
    expect(availabilityUnderCacheOutage.check(oneLost, final())).toMatchObject({ valid: false, opportunities: 100 });
    expect(availabilityUnderCacheOutage.check(oneLost, final({}, { minAvailability: 0.99 })).valid).toBe(true);
  });

  it('is unknown without an outage or with too few commands in it', () => {
    const none = new HistoryBuilder();
    none.call(0, 'submit', { tenant: 't' });
    expect(availabilityUnderCacheOutage.check(none.ops, final()).valid).toBe('unknown');
    expect(availabilityUnderCacheOutage.check(outage(['ok', 'ok']).ops, final()).valid).toBe('unknown');
  });

  it('does not count a client that was told to give up early, but does count one that waited its full time', () => {
    const h = outage(Array(20).fill('ok'));
    const gaveUp = { tenant: 't', quoteId: 'q-short', key: 'k', clientTimeoutMs: 30 };
    h.fault('start', 'redis-outage');
    h.invoke(7, 'convert', gaveUp);
    h.info(7, 'convert', gaveUp, 'timeout');
    h.fault('stop', 'redis-outage');
    expect(availabilityUnderCacheOutage.check(h.ops, final())).toMatchObject({
      valid: true,
      stats: { commands: 20, clientGaveUp: 1 },
    });
    const waited = outage(Array(20).fill('ok'));
    waited.fault('start', 'redis-outage');
    waited.invoke(7, 'convert', { tenant: 't', quoteId: 'q-long', key: 'k' });
    waited.info(7, 'convert', { tenant: 't', quoteId: 'q-long', key: 'k' }, 'timeout');
    waited.fault('stop', 'redis-outage');
    expect(availabilityUnderCacheOutage.check(waited.ops, final()).valid).toBe(false);
  });

  it('does not count a command stalled by a fault of the source of truth at the same time (found by explore, seed 7)', () => {
    const h = outage(Array(20).fill('ok'));
    h.fault('start', 'redis-outage');
    h.fault('start', 'postgres-pause', 'postgres');
    h.invoke(7, 'submit', { tenant: 't', quoteId: 'q-stalled' });
    h.fault('stop', 'postgres-pause', 'postgres');
    h.info(7, 'submit', { tenant: 't', quoteId: 'q-stalled' }, 'timeout');
    h.invoke(8, 'submit', { tenant: 't', quoteId: 'q-after' });
    h.fail(8, 'submit', { tenant: 't', quoteId: 'q-after' }, 'SERVICE_UNAVAILABLE');
    h.fault('stop', 'redis-outage');
    const result = availabilityUnderCacheOutage.check(h.ops, final());
    expect(result).toMatchObject({ valid: false, stats: { commands: 21, failed: 1, duringSourceFault: 1 } });
    expect(result.anomalies[0]?.first.message).toBe('submit during a cache outage ended fail (SERVICE_UNAVAILABLE)');
  });

  it('does not count a command sent to an API instance a fault took down, nor one stalled by a frozen Redis alone', () => {
    const h = outage(Array(20).fill('ok'));
    h.fault('start', 'redis-pause');
    h.fault('start', 'api-1-kill', 'api-1');
    h.invoke(7, 'create-quote', { tenant: 't' });
    h.info(7, 'create-quote', { tenant: 't' }, 'fetch failed');
    h.fault('stop', 'api-1-kill', 'api-1');
    h.invoke(8, 'create-quote', { tenant: 't' });
    h.info(8, 'create-quote', { tenant: 't' }, 'timeout');
    h.fault('stop', 'redis-pause');
    const result = availabilityUnderCacheOutage.check(h.ops, final());
    expect(result).toMatchObject({ valid: false, stats: { commands: 21, failed: 1, duringSourceFault: 1 } });
  });

  it('does not count a command that overlaps a source fault while it is starting (explore --at-once 12, seed 1)', () => {
    const h = outage(Array(20).fill('ok'));
    h.fault('start', 'redis-kill');
    h.faultAsked('start', 'postgres-outage-beyond-connect', 'postgres');
    h.invoke(7, 'convert', { tenant: 't', quoteId: 'q-overlap', key: 'k' });
    h.fail(7, 'convert', { tenant: 't', quoteId: 'q-overlap', key: 'k' }, 'SERVICE_UNAVAILABLE');
    h.faultEnded('start', 'postgres-outage-beyond-connect', 'postgres');
    h.fault('stop', 'postgres-outage-beyond-connect', 'postgres');
    h.fault('stop', 'redis-kill');
    expect(availabilityUnderCacheOutage.check(h.ops, final())).toMatchObject({
      valid: true,
      stats: { commands: 20, duringSourceFault: 1 },
    });
  });
});

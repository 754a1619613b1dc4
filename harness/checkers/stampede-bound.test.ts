// Unit: stampede-bound — the reference system's promise (one load per key and version while the
// cache is reachable, one per instance while it is not): within it, beyond it (two loads for two
// instances with the cache up: passed under the old per-instance bound), and measurements that
// cannot decide.
import { describe, expect, it } from 'vitest';
import { stampedeBound } from './stampede-bound.ts';
import { final, HistoryBuilder } from './testing/history-builder.ts';

/** A stampede between two ops of a history; with `outage`, a window of that fault (default redis-outage) around it. */
function stampede(loads: number, outage: boolean | string = false) {
  const fault = typeof outage === 'string' ? outage : 'redis-outage';
  const h = new HistoryBuilder();
  if (outage) h.fault('start', fault);
  const first = h.call(1, 'read-offering', { tenant: 't', offeringId: 'item-3' }, { name: 'x', catalogVersion: 1 });
  h.wait(300);
  const last = h.call(2, 'read-offering', { tenant: 't', offeringId: 'item-3' }, { name: 'x', catalogVersion: 1 });
  if (outage) h.fault('stop', fault);
  const measurement = { key: 't:catalog:item-3', version: 1, loads, instances: 2, requests: 200, ops: [first, last] };
  return { history: h.ops, state: final({ stampedes: [measurement] }) };
}

describe('stampede-bound', () => {
  it('is valid at one load per key and version while the cache is reachable', () => {
    const { history, state } = stampede(1);
    expect(stampedeBound.check(history, state)).toMatchObject({
      valid: true,
      opportunities: 1,
      stats: { worstLoads: 1 },
    });
  });

  it('is violated by one load per instance while the cache is reachable (a broken cross-instance lock)', () => {
    const { history, state } = stampede(2);
    const result = stampedeBound.check(history, state);
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]?.first.message).toContain('2 source loads; the bound is 1 (cache reachable');
  });

  it('allows one load per instance while a cache outage overlaps the stampede, and no more', () => {
    const within = stampede(2, true);
    expect(stampedeBound.check(within.history, within.state).valid).toBe(true);
    const beyond = stampede(57, true);
    const result = stampedeBound.check(beyond.history, beyond.state);
    expect(result.valid).toBe(false);
    expect(result.anomalies[0]).toMatchObject({
      kind: 'stampede-overload',
      ops: beyond.state.observations.stampedes?.[0]?.ops,
    });
  });

  it('counts the declared recovery time after a heal as the outage still: a breaker still open, a client reconnecting', () => {
    const h = new HistoryBuilder();
    h.fault('start', 'redis-outage');
    h.wait(100);
    h.fault('stop', 'redis-outage');
    h.wait(1000); // the stampede starts 1 s after the heal
    const first = h.call(1, 'read-offering', { tenant: 't', offeringId: 'item-3' }, { name: 'x', catalogVersion: 1 });
    const last = h.call(2, 'read-offering', { tenant: 't', offeringId: 'item-3' }, { name: 'x', catalogVersion: 1 });
    const measurement = {
      key: 't:catalog:item-3',
      version: 1,
      loads: 2,
      instances: 2,
      requests: 60,
      ops: [first, last],
    };
    const judged = (cacheRecoveryMs?: number) =>
      stampedeBound.check(
        h.ops,
        final({ stampedes: [measurement] }, cacheRecoveryMs === undefined ? {} : { cacheRecoveryMs }),
      );
    expect(judged().valid).toBe(false);
    expect(judged(500).valid).toBe(false);
    expect(judged(2000)).toMatchObject({ valid: true, stats: { cacheRecoveryMs: 2000 } });
  });

  it('is unknown without a measurement, or when a measurement saw no load at all', () => {
    expect(stampedeBound.check([], final())).toMatchObject({ valid: 'unknown', opportunities: 0 });
    const { history, state } = stampede(0);
    expect(stampedeBound.check(history, state).valid).toBe('unknown');
  });

  it('counts a Redis that is frozen, black-holed or refusing writes as unreachable', () => {
    for (const fault of ['redis-pause', 'redis-blackhole', 'redis-refuses-writes']) {
      const { history, state } = stampede(2, fault);
      expect(stampedeBound.check(history, state).valid, fault).toBe(true);
    }
  });

  it('does not judge a stampede during a fault of the source itself (a load it never answered is retried)', () => {
    const { history, state } = stampede(5, 'postgres-cut');
    expect(stampedeBound.check(history, state)).toMatchObject({
      valid: 'unknown',
      stats: { duringSourceFault: 1 },
      reason: 'every stampede overlapped a fault of the source itself',
    });
  });
});

// Unit: probes on hand-written Prometheus text — parsing, sums and maxima across components, label
// filters, rates with a component that restarted (its counter back at zero), error shares and p95
// latency over the interval between two ticks, unreadable values that neither hold nor fire.
import { describe, expect, it } from 'vitest';
import type { Probe } from './plan-types.ts';
import { crosses, parsePrometheus, probeValue, type Tick } from './probes.ts';

const tick = (atMs: number, components: Record<string, string>, extra: Partial<Tick> = {}): Tick => ({
  atMs,
  metrics: new Map(Object.entries(components).map(([url, text]) => [url, parsePrometheus(text)])),
  unhealthy: 0,
  failedRequests: 0,
  ...extra,
});

const metric = (p: Partial<Probe>): Probe => ({
  name: 'p',
  kind: 'metric',
  metric: 'cpq_outbox_backlog',
  below: 1,
  ...p,
});

describe('probes', () => {
  it('parse the exposition format: labels with escapes, comments and malformed lines skipped', () => {
    const samples = parsePrometheus(
      '# HELP x help\n# TYPE x counter\nx{a="1",b="q\\"uote"} 3\nbroken line here\ny 2.5e1\nz{le="+Inf"} +Inf\n',
    );
    expect(samples).toEqual([
      { name: 'x', labels: { a: '1', b: 'q"uote' }, value: 3 },
      { name: 'y', labels: {}, value: 25 },
      { name: 'z', labels: { le: '+Inf' }, value: Infinity },
    ]);
  });

  it('sum or max a gauge across components, filtered by labels', () => {
    const t = tick(0, {
      relay: 'cpq_outbox_backlog{component="relay"} 40\n',
      api: 'cpq_outbox_backlog{component="api"} 0\n',
    });
    expect(probeValue(metric({}), t, undefined)).toBe(40);
    expect(probeValue(metric({ aggregate: 'max' }), t, undefined)).toBe(40);
    expect(probeValue(metric({ labels: { component: 'api' } }), t, undefined)).toBe(0);
    expect(probeValue(metric({ metric: 'cpq_absent' }), t, undefined)).toBeUndefined();
    expect(probeValue(metric({}), tick(0, {}), undefined)).toBeUndefined();
  });

  it('take rates per second between ticks, a restarted component counting from zero', () => {
    const name = 'cpq_consumer_duplicates_skipped_total';
    const before = tick(0, { c: `${name}{consumer="billing"} 10\n${name}{consumer="audit"} 4\n` });
    const after = tick(2000, { c: `${name}{consumer="billing"} 16\n${name}{consumer="audit"} 4\n` });
    const probe = metric({ metric: name, rate: true, labels: { consumer: 'billing' } });
    expect(probeValue(probe, after, before)).toBe(3);
    expect(probeValue(probe, after, undefined)).toBeUndefined();
    const restarted = tick(4000, { c: `${name}{consumer="billing"} 2\n` });
    expect(probeValue(probe, restarted, after)).toBe(1);
  });

  it('measure the 5xx share and the p95 latency over the interval, by route', () => {
    const requests = (ok: number, bad: number) =>
      `cpq_http_requests_total{route="/a",status="200"} ${ok}\ncpq_http_requests_total{route="/a",status="503"} ${bad}\ncpq_http_requests_total{route="/b",status="200"} 5\n`;
    const buckets = (fast: number, slow: number) =>
      `cpq_http_request_duration_seconds_bucket{route="/a",le="0.01"} ${fast}\ncpq_http_request_duration_seconds_bucket{route="/a",le="0.5"} ${fast + slow}\ncpq_http_request_duration_seconds_bucket{route="/a",le="+Inf"} ${fast + slow}\n`;
    const a = tick(0, { api: requests(100, 0) + buckets(100, 0) });
    const b = tick(1000, { api: requests(190, 10) + buckets(190, 10) });
    expect(probeValue({ name: 'e', kind: 'error-rate', below: 1 }, b, a)).toBeCloseTo(0.1);
    expect(probeValue({ name: 'e', kind: 'error-rate', route: '/b', below: 1 }, b, a)).toBe(0);
    // 100 new requests: 90 under 10 ms, 10 under 500 ms — the 95th is in the 500 ms bucket.
    expect(probeValue({ name: 'l', kind: 'latency-p95', below: 1 }, b, a)).toBe(500);
    const c = tick(2000, { api: requests(290, 10) + buckets(290, 10) });
    expect(probeValue({ name: 'l', kind: 'latency-p95', below: 1 }, c, b)).toBe(10);
    expect(probeValue({ name: 'l', kind: 'latency-p95', below: 1 }, c, c)).toBe(0);
  });

  it('count reconcile findings of some kinds, unhealthy instances, failed requests and live violations', () => {
    const t = tick(
      0,
      {},
      {
        findings: ['outbox-stuck', 'projection-drift', 'outbox-stuck'],
        unhealthy: 1,
        failedRequests: 7,
        violations: 2,
      },
    );
    expect(probeValue({ name: 'r', kind: 'reconcile', findings: ['outbox-stuck'], above: 0 }, t, undefined)).toBe(2);
    expect(probeValue({ name: 'r', kind: 'reconcile', above: 0 }, t, undefined)).toBe(3);
    expect(probeValue({ name: 'r', kind: 'reconcile', above: 0 }, tick(0, {}), undefined)).toBeUndefined();
    expect(probeValue({ name: 'h', kind: 'health', below: 1 }, t, undefined)).toBe(1);
    expect(probeValue({ name: 'f', kind: 'failed-requests', above: 5 }, t, undefined)).toBe(7);
    expect(probeValue({ name: 'c', kind: 'checkers', below: 1 }, t, undefined)).toBe(2);
    expect(probeValue({ name: 'c', kind: 'checkers', below: 1 }, tick(0, {}), undefined)).toBeUndefined();
  });

  it('cross a bound strictly; an unreadable value neither holds nor fires', () => {
    expect(crosses({ name: 'a', kind: 'health', above: 5 }, 6)).toBe(true);
    expect(crosses({ name: 'a', kind: 'health', above: 5 }, 5)).toBe(false);
    expect(crosses({ name: 'b', kind: 'health', below: 1 }, 0)).toBe(true);
    expect(crosses({ name: 'b', kind: 'health', below: 1 }, 1)).toBe(false);
    expect(crosses({ name: 'b', kind: 'health', below: 1 }, undefined)).toBe(false);
    expect(crosses({ name: 'a', kind: 'health', above: 5 }, undefined)).toBe(false);
  });
});

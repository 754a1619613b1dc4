/**
 * Reading a drill's probes live: one tick scrapes every component's Prometheus /metrics, asks each
 * API instance for /healthz and (when a probe needs it) the drill tenants' /ops/reconcile, then
 * evaluates every probe against the tick before it (rates, error shares and latency over the
 * interval between them). A value that could not be read is `undefined`: it neither holds a
 * steady state nor fires a signal.
 */
import type { Probe } from './plan-types.ts';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text exposition → samples (comments and malformed lines skipped). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const value = Number(m[4] === '+Inf' ? Infinity : m[4] === '-Inf' ? -Infinity : m[4]);
    if (!Number.isNaN(value)) samples.push({ name: m[1] as string, labels, value });
  }
  return samples;
}

/** One reading of everything the probes look at. */
export interface Tick {
  atMs: number;
  /** Per component (metrics URL) → its samples; a component that did not answer is absent. */
  metrics: Map<string, Sample[]>;
  /** API instances that did not answer /healthz with 200. */
  unhealthy: number;
  /** Reconcile findings' kinds over the drill's tenants; undefined when not read or unreadable. */
  findings?: string[];
  /** Requests of the drill's traffic that failed or got no answer so far (since the method began). */
  failedRequests: number;
  /** Anomalies the live checkers found in the history so far; undefined when not judged. */
  violations?: number;
}

const matches = (s: Sample, name: string, labels?: Record<string, string>) =>
  s.name === name && Object.entries(labels ?? {}).every(([k, v]) => s.labels[k] === v);

/** Sum (or max) of the matching samples per component, combined across components. */
function total(
  tick: Tick,
  name: string,
  labels: Record<string, string> | undefined,
  aggregate: 'sum' | 'max',
): number | undefined {
  if (tick.metrics.size === 0) return undefined;
  let found = false;
  let result = aggregate === 'sum' ? 0 : -Infinity;
  for (const samples of tick.metrics.values())
    for (const s of samples)
      if (matches(s, name, labels)) {
        found = true;
        result = aggregate === 'sum' ? result + s.value : Math.max(result, s.value);
      }
  return found ? result : undefined;
}

/** Increase of a counter's matching samples between ticks (a component restarted counts from zero). */
function increase(prev: Tick, cur: Tick, test: (s: Sample) => boolean): number {
  let sum = 0;
  for (const [url, samples] of cur.metrics) {
    const before = new Map((prev.metrics.get(url) ?? []).filter(test).map((s) => [JSON.stringify(s.labels), s.value]));
    for (const s of samples.filter(test)) {
      const b = before.get(JSON.stringify(s.labels)) ?? 0;
      sum += s.value >= b ? s.value - b : s.value;
    }
  }
  return sum;
}

function p95Ms(prev: Tick, cur: Tick, route?: string): number {
  const name = 'cpq_http_request_duration_seconds_bucket';
  const byLe = new Map<number, number>();
  for (const [url, samples] of cur.metrics) {
    const test = (s: Sample) => s.name === name && (route === undefined || s.labels.route === route);
    const before = new Map((prev.metrics.get(url) ?? []).filter(test).map((s) => [JSON.stringify(s.labels), s.value]));
    for (const s of samples.filter(test)) {
      const b = before.get(JSON.stringify(s.labels)) ?? 0;
      const le = Number(s.labels.le === '+Inf' ? Infinity : s.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + (s.value >= b ? s.value - b : s.value));
    }
  }
  const buckets = [...byLe].sort((a, b) => a[0] - b[0]);
  const count = buckets.at(-1)?.[1] ?? 0;
  if (count === 0) return 0;
  const found = buckets.find(([, n]) => n >= count * 0.95);
  const le = found?.[0] ?? Infinity;
  // Above the last finite bucket all one can say is "more than it".
  return Number.isFinite(le) ? le * 1000 : (buckets.at(-2)?.[0] ?? 0) * 1000;
}

/** The probe's value at `cur` (with `prev` the tick before, for rates), or undefined if unreadable. */
export function probeValue(probe: Probe, cur: Tick, prev: Tick | undefined): number | undefined {
  switch (probe.kind) {
    case 'health':
      return cur.unhealthy;
    case 'failed-requests':
      return cur.failedRequests;
    case 'checkers':
      return cur.violations;
    case 'reconcile':
      return cur.findings?.filter((k) => !probe.findings || probe.findings.includes(k)).length;
    case 'metric': {
      const name = probe.metric as string;
      if (!probe.rate) return total(cur, name, probe.labels, probe.aggregate ?? 'sum');
      if (!prev || cur.metrics.size === 0) return undefined;
      const seconds = Math.max(0.001, (cur.atMs - prev.atMs) / 1000);
      return increase(prev, cur, (s) => matches(s, name, probe.labels)) / seconds;
    }
    case 'error-rate': {
      if (!prev || cur.metrics.size === 0) return undefined;
      const ofRoute = (s: Sample) =>
        s.name === 'cpq_http_requests_total' && (probe.route === undefined || s.labels.route === probe.route);
      const all = increase(prev, cur, ofRoute);
      return all === 0 ? 0 : increase(prev, cur, (s) => ofRoute(s) && (s.labels.status ?? '').startsWith('5')) / all;
    }
    case 'latency-p95':
      return !prev || cur.metrics.size === 0 ? undefined : p95Ms(prev, cur, probe.route);
  }
}

/** Whether a value meets the probe's bound (`above`: strictly above; `below`: strictly below). */
export function crosses(probe: Probe, value: number | undefined): boolean {
  if (value === undefined) return false;
  return probe.above !== undefined ? value > probe.above : value < (probe.below as number);
}

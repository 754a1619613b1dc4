/**
 * Where a load run broke: k6's requests cut into buckets of a few seconds (by invocation), and the
 * first bucket in which an op's p95 crossed its k6 threshold (`http_req_duration{op:X}` `p(95)<N`)
 * or the share of requests without an answer or with a 5xx crossed `http_req_failed`'s rate — with
 * the request rate the system was taking then and the best rate it took before. The limits are
 * read from k6's own thresholds, so the profile stays the one place they are set.
 */
import { pairOps, type Op } from '../../core/op.ts';
import type { ThresholdOutcome } from '../../core/final-state.ts';
import type { BreakPoint } from '../../core/outcome.ts';
import { systemError } from '../../core/vocabulary.ts';

/** Per-op p95 limits (ms) and the error-rate limit, from k6's thresholds. */
export function limitsOf(thresholds: readonly ThresholdOutcome[]): { p95: Map<string, number>; errorRate?: number } {
  const p95 = new Map<string, number>();
  let errorRate: number | undefined;
  for (const t of thresholds) {
    const op = /^http_req_duration\{op:([^}]+)\}$/.exec(t.metric)?.[1];
    const ms = /^p\(95\)\s*<=?\s*([\d.]+)$/.exec(t.expression)?.[1];
    if (op && ms) p95.set(op, Number(ms));
    const rate = /^rate\s*<=?\s*([\d.]+)$/.exec(t.expression)?.[1];
    if (t.metric === 'http_req_failed' && rate) errorRate = Number(rate);
  }
  return errorRate === undefined ? { p95 } : { p95, errorRate };
}

const p95Of = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)] ?? 0;
};

/**
 * The first bucket that broke a limit (`broke`), or, when none did, the highest rate any bucket
 * held (`heldPerSecond`); undefined when there were no k6 requests.
 */
export function breakpointOf(
  history: readonly Op[],
  thresholds: readonly ThresholdOutcome[],
  options: { bucketS?: number; minRequests?: number } = {},
): { broke: BreakPoint } | { heldPerSecond: number } | undefined {
  const bucketNs = (options.bucketS ?? 2) * 1e9;
  const limits = limitsOf(thresholds);
  const pairs = pairOps(history).filter((p) => String(p.invoke.process).startsWith('k6-') && p.completion);
  if (pairs.length === 0) return undefined;
  const origin = pairs.reduce((min, p) => Math.min(min, p.invoke.time), Infinity);
  const buckets: { requests: number; errors: number; latencies: Map<string, number[]> }[] = [];
  for (const p of pairs) {
    const i = Math.floor((p.invoke.time - origin) / bucketNs);
    const bucket = (buckets[i] ??= { requests: 0, errors: 0, latencies: new Map() });
    bucket.requests++;
    if (systemError(p.completion)) bucket.errors++;
    const list = bucket.latencies.get(p.invoke.f) ?? [];
    list.push(((p.completion as Op).time - p.invoke.time) / 1e6);
    bucket.latencies.set(p.invoke.f, list);
  }
  let best = 0;
  for (const [i, bucket] of buckets.entries()) {
    if (!bucket || bucket.requests < (options.minRequests ?? 20)) continue;
    const rate = bucket.requests / (bucketNs / 1e9);
    const crossed: string[] = [];
    for (const [op, latencies] of bucket.latencies) {
      const limit = limits.p95.get(op);
      const p95 = p95Of(latencies);
      if (limit !== undefined && latencies.length >= 5 && p95 >= limit)
        crossed.push(`${op} p95 ${Math.round(p95)} ms ≥ ${limit} ms`);
    }
    const share = bucket.errors / bucket.requests;
    if (limits.errorRate !== undefined && share >= limits.errorRate)
      crossed.push(`errors ${(share * 100).toFixed(1)}% ≥ ${(limits.errorRate * 100).toFixed(1)}%`);
    if (crossed.length > 0)
      return {
        broke: {
          atS: (i * bucketNs) / 1e9,
          requestsPerSecond: Math.round(rate),
          bestHeldPerSecond: Math.round(best),
          what: crossed.join(', '),
        },
      };
    best = Math.max(best, rate);
  }
  return { heldPerSecond: Math.round(best) };
}

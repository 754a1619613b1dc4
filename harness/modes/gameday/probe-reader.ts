/**
 * One live tick of a drill's probes: every component's /metrics, every API instance's /healthz and,
 * when a probe asks for it, `/ops/reconcile` of each drill tenant (rows older than 5 s) — all at
 * once, each bounded by a 1 s timeout, so a dead component makes its values unreadable, never the
 * drill slow.
 */
import { CpqClient } from '../../system/cpq-client.ts';
import { parsePrometheus, type Sample, type Tick } from './probes.ts';

const TIMEOUT_MS = 1000;

async function scrape(url: string): Promise<Sample[] | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    return response.ok ? parsePrometheus(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

async function healthy(apiUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Findings' kinds over `tenants` (through the first API instance that answers), or undefined. */
export async function reconcileKinds(
  apiUrls: readonly string[],
  tenants: readonly string[],
  olderThanSec: number,
  timeoutMs = TIMEOUT_MS,
): Promise<string[] | undefined> {
  for (const url of apiUrls) {
    try {
      const answers = await Promise.all(tenants.map((t) => new CpqClient(url, t, timeoutMs).reconcile(olderThanSec)));
      if (answers.every((a) => a.status === 200)) return answers.flatMap((a) => a.body.findings.map((f) => f.kind));
    } catch {
      // the next instance may answer
    }
  }
  return undefined;
}

export interface TickSources {
  metricsUrls: readonly string[];
  apiUrls: readonly string[];
  tenants: readonly string[];
  reconcile: boolean;
  failedRequests: () => number;
  /** Anomalies found so far by the live checkers (when a probe asks for them). */
  violations?: () => number;
}

/** Reads one tick, `atMs` ms since the drill began. */
export async function readTick(sources: TickSources, atMs: number): Promise<Tick> {
  const [scraped, health, findings] = await Promise.all([
    Promise.all(sources.metricsUrls.map(async (url) => [url, await scrape(url)] as const)),
    Promise.all(sources.apiUrls.map(healthy)),
    sources.reconcile ? reconcileKinds(sources.apiUrls, sources.tenants, 5) : Promise.resolve(undefined),
  ]);
  const metrics = new Map<string, Sample[]>();
  for (const [url, samples] of scraped) if (samples) metrics.set(url, samples);
  return {
    atMs,
    metrics,
    unhealthy: health.filter((ok) => !ok).length,
    ...(findings ? { findings } : {}),
    failedRequests: sources.failedRequests(),
    ...(sources.violations ? { violations: sources.violations() } : {}),
  };
}

/**
 * What `npm run bench:ref` measures with: a k6 read run against one URL, a fixed-concurrency
 * driver for commands, the CPU each component spent per request over a phase (from /proc, as
 * `load` reports it), and PostgreSQL's costliest statements.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { cpuBetween, cpuSnapshot } from '../../harness/env/cpu-usage.ts';
import { cpuLines, requestCosts } from '../../harness/modes/load/load-report.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ReadFigures {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  requests: number;
}

export async function k6Read(
  k6: string,
  url: string,
  { vus, duration }: { vus: number; duration: number },
): Promise<ReadFigures> {
  const summary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'k6-')), 'summary.json');
  await promisify(execFile)(
    k6,
    [
      'run',
      '--quiet',
      '--no-color',
      `--summary-export=${summary}`,
      '-e',
      `URL=${url}`,
      '-e',
      `VUS=${vus}`,
      '-e',
      `DURATION=${duration}s`,
      path.join(ROOT, 'k6/bench-read.js'),
    ],
    {
      env: { ...process.env, K6_NO_USAGE_REPORT: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const metrics = (JSON.parse(fs.readFileSync(summary, 'utf8')) as { metrics: Record<string, Record<string, number>> })
    .metrics;
  return {
    rps: metrics.http_reqs?.rate ?? 0,
    p50: metrics.http_req_duration?.med ?? 0,
    p99: metrics.http_req_duration?.['p(99)'] ?? 0,
    failed: metrics.checks?.fails ?? 0,
    requests: metrics.http_reqs?.count ?? 0,
  };
}

/** Runs `work` on a client of its own to `url`, ended after. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Empties pg_stat_statements, so what it lists next is what ran from now on. */
export async function resetStatements(url: string): Promise<void> {
  await withClient(url, (client) => client.query('select pg_stat_statements_reset()'));
}

/** PostgreSQL's ten costliest statements since it started (or was last reset): calls, total and mean ms, the text. */
export function topStatements(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ calls: string; total: number; mean: number; query: string }>(
      `select calls, total_exec_time as total, mean_exec_time as mean, query from pg_stat_statements
       where query not ilike '%pg_stat_statements%' order by total_exec_time desc limit 10`,
    );
    return rows.map(
      (r) =>
        `${String(r.calls).padStart(8)} calls ${Number(r.total).toFixed(0).padStart(7)} ms ${Number(r.mean).toFixed(3).padStart(8)} ms each  ${r.query.replace(/\s+/g, ' ').slice(0, 110)}`,
    );
  });
}

/** Runs `op` over `items` with `concurrency` workers; returns ops/s and latency percentiles. */
export async function drive<T>(items: T[], concurrency: number, op: (item: T) => Promise<boolean>) {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const from = performance.now();
        if (!(await op(item))) failed++;
        latencies.push(performance.now() - from);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { rps: items.length / seconds, p50: pct(0.5), p99: pct(0.99), failed };
}

/**
 * Resolves once the work a phase set off has finished: no unpublished outbox row, and the
 * consumers' inbox unchanged over 300 ms (every event delivered has been applied). At most 30 s.
 */
export function settled(postgresUrl: string): Promise<void> {
  return withClient(postgresUrl, async (client) => {
    const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
    const deadline = performance.now() + 30_000;
    let inbox = -1;
    while (performance.now() < deadline) {
      const pending = await count(`select count(*) as n from outbox_event where status <> 'published'`);
      const applied = await count('select count(*) as n from inbox_message');
      if (pending === 0 && applied === inbox) return;
      inbox = applied;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  });
}

/**
 * Runs `phase`, then waits until what it set off has `settle`d, and returns its result with the CPU
 * per request all of that cost, per component (the bench's own process and k6, which drive the
 * load, left out), as a line and as the total in ms; neither where /proc is missing.
 */
export async function withCpu<T>(
  phase: () => Promise<T>,
  requestsOf: (result: T) => number,
  settle: () => Promise<void> = async () => undefined,
): Promise<{ result: T; cpu: string | undefined; cpuMs: number | undefined }> {
  await settle(); // what came before is not this phase's cost
  const before = cpuSnapshot();
  const result = await phase();
  await settle();
  const after = cpuSnapshot();
  const cpu = before && after ? cpuBetween(before, after) : undefined;
  const requests = requestsOf(result);
  const costs = requestCosts({ cpu, requests });
  return {
    result,
    cpu: cpuLines({ cpu, requests })[1],
    cpuMs: costs.length === 0 ? undefined : costs.reduce((sum, c) => sum + c.ms, 0),
  };
}

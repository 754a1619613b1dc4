/**
 * `npm run bench:analyze`: `cpqchaos analyze` of a long load history — by default 2 million ops, the
 * size of a soak — written as a load run directory: k6 users browsing prices and offerings, quotes
 * created, priced, submitted, accepted and converted, a publisher changing price lists, one fault
 * window. Then `analyze` runs in a child process; prints its time, its peak memory (the kernel's
 * high-water mark of its resident set) and its verdict (checkers with nothing of theirs in this
 * synthetic history say unknown: time and memory are what it measures). Target (issue 13): under
 * 60 s, under 1.5 GiB.
 *
 * Flags: --ops N (default 2000000), --keep (leave the run directory).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchArgs, usageError } from './lib/bench-args.ts';

const values = benchArgs('bench:analyze', { ops: { type: 'string', default: '2000000' }, keep: { type: 'boolean' } });
const target = Number(values.ops);
if (!Number.isInteger(target) || target < 1000) {
  usageError('bench:analyze', '--ops takes a whole number ≥ 1000');
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-analyze-'));
const scenario = 'load-soak';
const tenants = ['t0', 't1', 't2'];
const out = fs.openSync(path.join(dir, 'history.jsonl'), 'w');
let index = 0;
let time = 1e9;
let buffered: string[] = [];
function op(process: string, type: string, f: string, value: Record<string, unknown>, error?: string): void {
  time += 20_000; // 20 µs apart: 2 M ops ≈ 40 s of load
  buffered.push(
    JSON.stringify({ index: index++, time, process, type, f, value, ...(error ? { error } : {}), scenario }),
  );
  if (buffered.length >= 10_000) {
    fs.writeSync(out, `${buffered.join('\n')}\n`);
    buffered = [];
  }
}
const pair = (process: string, f: string, value: Record<string, unknown>, result: Record<string, unknown>) => {
  op(process, 'invoke', f, value);
  op(process, 'ok', f, { ...value, ...result });
};

const version = new Map(tenants.map((t) => [t, 1]));
const price = (t: string, v: number) => 10_000 + v * 16 + tenants.indexOf(t);
const quotes: {
  tenant_id: string;
  quote_id: string;
  state: string;
  catalog_version: number;
  price_list_version: number;
  policy_version: number;
}[] = [];
const orders: Record<string, unknown>[] = [];
for (const t of tenants) {
  pair(
    'setup',
    'publish',
    { tenant: t, domain: 'catalog', content: { offerings: { router: `router of ${t}` } } },
    { status: 201, version: 1 },
  );
  pair(
    'setup',
    'publish',
    { tenant: t, domain: 'pricing', content: { currency: 'EUR', prices: { router: price(t, 1) } } },
    { status: 201, version: 1 },
  );
  pair(
    'setup',
    'publish',
    { tenant: t, domain: 'policy', content: { maxDiscountPct: 30 } },
    { status: 201, version: 1 },
  );
}
const started = performance.now();
for (let i = 0; index < target; i++) {
  const t = tenants[i % tenants.length] as string;
  const user = `k6-0-${i % 1000}`;
  if (i % 2000 === 0 && i > 0) {
    const v = (version.get(t) as number) + 1;
    pair(
      '0',
      'publish',
      { tenant: t, domain: 'pricing', content: { currency: 'EUR', prices: { router: price(t, v) } } },
      { status: 201, version: v },
    );
    version.set(t, v);
  }
  if (i === Math.floor(target / 8)) op('nemesis', 'ok', 'start-fault', { fault: 'redis-kill', target: 'redis' });
  if (i === Math.floor(target / 6)) op('nemesis', 'ok', 'stop-fault', { fault: 'redis-kill', target: 'redis' });
  const v = version.get(t) as number;
  pair(
    user,
    'read-price',
    { tenant: t, offeringId: 'router', currency: 'EUR' },
    { unitPriceCents: price(t, v), priceListVersion: v, tenantId: t },
  );
  pair(
    user,
    'read-offering',
    { tenant: t, offeringId: 'router' },
    { name: `router of ${t}`, catalogVersion: 1, tenantId: t },
  );
  if (i % 10 === 0) {
    const quoteId = `q-${i}`;
    const versions = { catalogVersion: 1, priceListVersion: v, policyVersion: 1 };
    pair(
      user,
      'create-quote',
      { tenant: t, items: [{ offeringId: 'router', quantity: 1, discountPct: 0 }] },
      { status: 201, quoteId, state: 'DRAFT', revision: 1 },
    );
    pair(
      user,
      'price',
      { tenant: t, quoteId },
      { status: 200, state: 'PRICED', revision: 2, ...versions, approvalRequired: false },
    );
    pair(user, 'submit', { tenant: t, quoteId }, { status: 200, state: 'SUBMITTED', revision: 3, ...versions });
    pair(user, 'accept', { tenant: t, quoteId }, { status: 200, state: 'ACCEPTED', revision: 4 });
    pair(user, 'convert', { tenant: t, quoteId, key: `${quoteId}-order` }, { status: 201, orderId: `o-${i}` });
    quotes.push({
      tenant_id: t,
      quote_id: quoteId,
      state: 'CONVERTED',
      catalog_version: 1,
      price_list_version: v,
      policy_version: 1,
    });
    orders.push({ tenant_id: t, order_id: `o-${i}`, source_quote_id: quoteId, source_quote_revision: 4 });
  }
}
fs.writeSync(out, buffered.length ? `${buffered.join('\n')}\n` : '');
fs.closeSync(out);
const bytes = fs.statSync(path.join(dir, 'history.jsonl')).size;
process.stdout.write(
  `bench:analyze: wrote ${index} ops (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - started) / 1000).toFixed(0)} s to ${dir}\n`,
);

const checkers = [
  'no-stale-submit',
  'no-approval-bypass',
  'tenant-isolation',
  'bounded-staleness',
  'single-order-per-quote',
  'idempotent-replay',
  'availability-under-cache-outage',
];
const runId = path.basename(dir);
fs.writeFileSync(
  path.join(dir, 'run.json'),
  JSON.stringify({
    runId,
    seed: 1,
    bugs: [],
    scenarios: [scenario],
    startedAt: new Date().toISOString(),
    command: 'load',
  }),
);
fs.writeFileSync(
  path.join(dir, 'results.json'),
  JSON.stringify({ scenarios: [{ name: scenario, checkers: checkers.map((name) => ({ name })) }] }),
);
fs.writeFileSync(
  path.join(dir, 'final-state.json'),
  JSON.stringify({
    [scenario]: {
      parameters: {},
      observations: { quotes, orders, quiesce: { outboxDrained: true, pointersCaughtUp: true, waitedMs: 1000 } },
    },
  }),
);

/** Runs analyze; samples the child's VmHWM (peak resident set) while it runs. */
const bin = path.resolve('bin/cpqchaos.mjs');
const t0 = performance.now();
const child = spawn(process.execPath, [bin, 'analyze', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
let peakKb = 0;
const sample = setInterval(() => {
  try {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
  } catch {
    /* gone */
  }
}, 100);
let stdout = '';
child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
clearInterval(sample);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(stdout.split('\n').slice(0, 2).join('\n') + '\n');
process.stdout.write(
  `bench:analyze: ${index} ops analyzed in ${seconds.toFixed(1)} s, peak memory ${(peakKb / 2 ** 20).toFixed(2)} GiB (exit ${code}; target: < 60 s, < 1.5 GiB)\n`,
);
if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });

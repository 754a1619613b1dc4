/**
 * `npm run bench:drain`: how long the outbox backlog takes to drain after a Kafka outage under
 * steady load — the messaging family's target is within 10 s of the broker's return after a 30 s
 * outage. One environment and one reference system (kafkajs producer and consumers); workers walk
 * quotes to ACCEPTED and convert them the whole time. The outage is the broker killed -9 and
 * started again after `--outage` seconds (`--mode kill`), or the relay's and consumers' proxies
 * disabled (`--mode proxy`). Drain: from the broker's return until every event committed before
 * it is published and every order created before it is billed (read from PostgreSQL directly).
 *
 * The load is paced at `--rate` orders a second over all workers (each order: a quote walked to
 * ACCEPTED, then converted — about six events); `--rate 0` runs them as fast as the machine
 * allows. Printed apart: when the relay had published the backlog, and when billing had applied it.
 *
 * Flags: --outage S (default 30), --workers N (default 4), --rate R (default 10), --mode kill|proxy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acceptedQuote, seedTenant, startStack } from '../harness/system/testing/stack.ts';
import { benchArgs, usageError } from './lib/bench-args.ts';

const values = benchArgs('bench:drain', {
  outage: { type: 'string', default: '30' },
  workers: { type: 'string', default: '4' },
  rate: { type: 'string', default: '10' },
  mode: { type: 'string', default: 'kill' },
});
const outageS = Number(values.outage);
const workers = Number(values.workers);
const mode = values.mode as string;
const rate = Number(values.rate);
const fail = (message: string) => usageError('bench:drain', message);
if (!Number.isInteger(outageS) || outageS < 1) fail('--outage takes a whole number of seconds ≥ 1');
if (!Number.isInteger(workers) || workers < 1) fail('--workers takes a whole number ≥ 1');
if (mode !== 'kill' && mode !== 'proxy') fail('--mode is kill or proxy');
if (!Number.isFinite(rate) || rate < 0) fail('--rate takes orders per second ≥ 0 (0: unpaced)');
const log = (message: string) => process.stderr.write(`bench:drain: ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

await using stack = await startStack({ instances: 1 });
const tenant = `drain-${Date.now()}`;
const client = stack.client(tenant);
await seedTenant(client);
let running = true;
let orders = 0;
let errors = 0;
const load = Promise.all(
  Array.from({ length: workers }, async () => {
    while (running) {
      const started = performance.now();
      try {
        const quoteId = await acceptedQuote(client);
        const converted = await client.convert(quoteId, `${quoteId}-k`);
        if (converted.status === 201) orders++;
      } catch {
        errors++;
        await sleep(100);
      }
      if (rate > 0) await sleep(Math.max(0, (workers / rate) * 1000 - (performance.now() - started)));
    }
  }),
);

/** Events committed before `at` still unpublished, and orders among them not yet billed. */
const backlogBefore = async (at: Date) => {
  const { rows } = await stack.db.query<{ unpublished: number; unbilled: number }>(
    `select (select count(*) from outbox_event where tenant_id = $1 and created_at <= $2 and status <> 'published')::int as unpublished,
            (select count(*) from outbox_event o where o.tenant_id = $1 and o.created_at <= $2 and o.event_type = 'OrderCreated'
               and not exists (select 1 from billing_trigger b where b.event_id = o.event_id))::int as unbilled`,
    [tenant, at],
  );
  return { unpublished: rows[0]?.unpublished ?? 0, unbilled: rows[0]?.unbilled ?? 0 };
};
const now = async () => (await stack.db.query<{ now: Date }>('select now()')).rows[0]?.now as Date;

log(`steady load: ${workers} workers walking quotes to ACCEPTED and converting; warming up 5 s`);
await sleep(5000);
const ordersBefore = orders;
const proxies = stack.env.endpoints.proxies.filter((p) => p.endsWith('-kafka') && !p.startsWith('api'));
const toxiproxy = stack.env.toxiproxy.client();
const setProxies = async (enabled: boolean) => {
  for (const name of proxies) {
    const proxy = await toxiproxy.get(name);
    await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
  }
};
log(mode === 'kill' ? `killing the Kafka broker for ${outageS} s` : `cutting ${proxies.join(', ')} for ${outageS} s`);
const outageStarted = performance.now();
if (mode === 'kill') await stack.env.kafka.kill();
else await setProxies(false);
await sleep(outageS * 1000);
if (mode === 'kill') await stack.env.kafka.start();
else await setProxies(true);
const returned = performance.now();
const returnedAt = await now();
const atReturn = await backlogBefore(returnedAt);
const backlog = atReturn.unpublished + atReturn.unbilled;
log(
  `broker back after ${((returned - outageStarted) / 1000).toFixed(1)} s; ${atReturn.unpublished} events unpublished, ` +
    `${atReturn.unbilled} orders unbilled; waiting for them to drain`,
);
let drainMs: number | undefined;
let publishedMs: number | undefined;
while (performance.now() - returned < 120_000) {
  const left = await backlogBefore(returnedAt);
  if (left.unpublished === 0) publishedMs ??= Math.round(performance.now() - returned);
  if (left.unpublished + left.unbilled === 0) {
    drainMs = Math.round(performance.now() - returned);
    break;
  }
  await sleep(100);
}
running = false;
await load;
const figures = {
  mode,
  outageS,
  outageActualS: Number(((returned - outageStarted) / 1000).toFixed(1)),
  workers,
  rate,
  ordersDuringRun: orders,
  ordersBeforeOutage: ordersBefore,
  clientErrors: errors,
  unpublishedAtReturn: atReturn.unpublished,
  unbilledAtReturn: atReturn.unbilled,
  publishedMs: publishedMs ?? null,
  drainMs: drainMs ?? null,
  target: 'drain within 10000 ms of the broker’s return',
  met: drainMs !== undefined && drainMs <= 10_000,
};
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-drain-')), 'figures.json');
fs.writeFileSync(out, JSON.stringify(figures, null, 2));
process.stdout.write(
  `bench:drain ${mode}: ${outageS} s outage at ${rate || 'unpaced'} orders/s, ${backlog} undelivered at the broker's return, ` +
    `published in ${publishedMs ?? '>120000'} ms, drained in ${drainMs === undefined ? 'more than 120000' : drainMs} ms (target ≤ 10000 ms: ${figures.met ? 'met' : 'NOT met'}); ` +
    `${orders} orders converted, ${errors} client errors\n${JSON.stringify(figures)}\n`,
);

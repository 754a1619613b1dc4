/**
 * Test fixture for the reference system's integration tests: a fresh environment plus the reference
 * system (optionally with planted bugs and failpoints), a direct PostgreSQL pool for authoritative
 * reads, and helpers that seed a tenant and walk a quote to a given state.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEnvironment, type Environment } from '../../env/environment.ts';
import { ReferenceSystem } from '../reference-system.ts';
import { CpqClient } from '../cpq-client.ts';

export interface Stack extends AsyncDisposable {
  env: Environment;
  system: ReferenceSystem;
  /** Direct (unproxied) pool for authoritative reads. */
  db: pg.Pool;
  client(tenantId: string, instance?: number): CpqClient;
  /** Arms a failpoint on one component. */
  arm(component: string, name: string, spec: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(
  options: { bugs?: string[]; failpoints?: boolean; instances?: number; clock?: boolean } = {},
): Promise<Stack> {
  const env = await startEnvironment();
  try {
    const system = await ReferenceSystem.start({
      endpoints: env.endpoints,
      bugs: options.bugs ?? [],
      instances: options.instances ?? 2,
      failpoints: options.failpoints ?? false,
      clock: options.clock ?? false,
      dir: fs.mkdtempSync(path.join(os.tmpdir(), 'cpq-system-')),
      logLevel: 'warn',
    });
    const db = new pg.Pool({ connectionString: env.endpoints.services.postgres.directUrl, max: 4 });
    db.on('error', () => undefined);
    const stop = async () => {
      await system.stop();
      await db.end();
      await env.stop();
    };
    return {
      env,
      system,
      db,
      client: (tenantId, instance = 0) =>
        new CpqClient(system.apiUrls[instance % system.apiUrls.length] as string, tenantId),
      async arm(component, name, spec) {
        const response = await fetch(`${system.component(component).url}/admin/failpoints/${name}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(spec),
        });
        if (!response.ok)
          throw new Error(`arming ${name} on ${component}: ${response.status} ${await response.text()}`);
      },
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await env.stop();
    throw error;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value or `timeoutMs` passes (then returns the last value). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value || Date.now() >= deadline) return value;
    await sleep(intervalMs);
  }
}

/** Publishes one offering `router` priced `priceCents` EUR and a policy allowing `maxDiscount`%. */
export async function seedTenant(
  client: CpqClient,
  options: { priceCents?: number; maxDiscount?: number; name?: string } = {},
): Promise<void> {
  const catalog = await client.publishCatalog([
    { offeringId: 'router', name: options.name ?? `Router of ${client.tenantId}`, family: 'network', active: true },
  ]);
  const prices = await client.publishPriceList('EUR', [
    { offeringId: 'router', unitPriceCents: options.priceCents ?? 10_000 },
  ]);
  const policy = await client.publishPolicy(options.maxDiscount ?? 10);
  if (catalog.status !== 201 || prices.status !== 201 || policy.status !== 201) {
    throw new Error(`seeding ${client.tenantId} failed: ${JSON.stringify([catalog, prices, policy])}`);
  }
}

/** Creates and prices a quote for 2 routers at `discountPct`; returns its id. */
export async function pricedQuote(client: CpqClient, discountPct = 5): Promise<string> {
  const created = await client.createQuote('customer-1', 'EUR', [{ offeringId: 'router', quantity: 2, discountPct }]);
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created)}`);
  const priced = await client.transition(created.body.quoteId, 'price');
  if (priced.status !== 200) throw new Error(`price failed: ${JSON.stringify(priced)}`);
  return created.body.quoteId;
}

/** A quote walked to ACCEPTED (approving it when needed); returns its id. */
export async function acceptedQuote(client: CpqClient, discountPct = 5): Promise<string> {
  const quoteId = await pricedQuote(client, discountPct);
  const submitted = await client.transition(quoteId, 'submit');
  if (submitted.body.state === 'APPROVAL_PENDING') await client.transition(quoteId, 'approve');
  const accepted = await client.transition(quoteId, 'accept');
  if (accepted.status !== 200) throw new Error(`accept failed: ${JSON.stringify(accepted)}`);
  return quoteId;
}

/** Orders in PostgreSQL for a quote (authoritative). */
export async function ordersInDb(db: pg.Pool, tenantId: string, quoteId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int as n from customer_order where tenant_id = $1 and source_quote_id = $2',
    [tenantId, quoteId],
  );
  return rows[0]?.n ?? 0;
}

/**
 * What the planted-bug probes share: a fault applied around a probe (always healed), the cache's
 * pointer caught up, the API instances' L1 invalidation joined, a stampede's source loads counted
 * by PostgreSQL, and a publish that must succeed.
 */
import os from 'node:os';
import { Random } from '../../core/random.ts';
import { fastFailRedis } from '../../env/testing/clients.ts';
import type { Fault, FaultContext } from '../../faults/fault.ts';
import { slowSource } from '../../workload/stampede.ts';
import { eventually, type Stack } from './stack.ts';

/** A probe: true when it observed its planted bug's defect. */
export type Probe = (stack: Stack, tenant: string) => Promise<boolean>;

/**
 * 200 concurrent reads of one uncached offering, spread over the API instances, while PostgreSQL
 * answers the API slowly (300 ms latency on its proxy, as under load), so the misses really overlap.
 * Returns the source loads PostgreSQL itself counted (pg_stat_statements), not what the service says,
 * and how many reads failed (an unbounded stampede can exhaust the API's connection pool).
 */
export async function stampedeLoads(stack: Stack, tenant: string): Promise<{ loads: number; failed: number }> {
  const client = stack.client(tenant);
  expect201(
    await client.publishCatalog(
      Array.from({ length: 3 }, (_, i) => ({ offeringId: `item-${i}`, name: `Item ${i}`, family: 'f', active: true })),
    ),
  );
  for (const url of stack.system.apiUrls) await client.on(url).getOffering('item-0'); // warm the version pointers
  const before = await stack.system.reads.sourceLoads('offering');
  return during(stack, slowSource(300), async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        client.on(stack.system.apiUrls[i % stack.system.apiUrls.length] as string).getOffering('item-2'),
      ),
    );
    const failed = responses.filter((r) => r.status !== 200 || r.body.name !== 'Item 2').length;
    return { loads: (await stack.system.reads.sourceLoads('offering')) - before, failed };
  });
}

/**
 * Waits until the cache's version pointer for a tenant's domain holds `version` (the invalidation
 * consumer has caught up), so a stale-cache window starts from a known cached state.
 */
export async function cachedPointerIs(stack: Stack, tenant: string, domain: string, version: number): Promise<void> {
  const redis = fastFailRedis(stack.env.endpoints.services.redis.directUrl);
  await redis.connect();
  try {
    const ok = await eventually(
      async () => (await redis.get(`cpq:${tenant}:${domain}:active-version`)) === String(version),
      15_000,
    );
    if (!ok) throw new Error(`the cached ${domain} pointer of ${tenant} never reached ${version}`);
  } finally {
    redis.disconnect();
  }
}

/** Waits until every API instance's L1 invalidation consumer has joined its group. */
export async function l1Joined(stack: Stack): Promise<void> {
  for (const url of stack.system.apiUrls) {
    const joined = await eventually(
      async () =>
        ((await (await fetch(`${url}/healthz`)).json()) as { l1Invalidation?: string }).l1Invalidation === 'joined',
      30_000,
    );
    if (!joined) throw new Error(`${url}: L1 invalidation consumer did not join its group within 30 s`);
  }
}

/** Runs `fn` while the harness's `fault` is in effect (started before, always healed after). */
export async function during<T>(stack: Stack, fault: Fault, fn: () => Promise<T>): Promise<T> {
  const ctx: FaultContext = { env: stack.env, system: stack.system, random: new Random(fault.name), dir: os.tmpdir() };
  await fault.invoke(ctx, 'start');
  try {
    return await fn();
  } finally {
    await fault.invoke(ctx, 'stop');
  }
}

export function expect201(response: { status: number; body: unknown }): void {
  if (response.status !== 201) throw new Error(`publish failed: ${JSON.stringify(response)}`);
}

/**
 * `explore --family input`: hostile input as a family of its own. On a fresh tenant it sets up the
 * ids the requests aim at (a draft quote, an accepted quote, a quote whose total cannot be
 * represented), reads the tenant's footprint, sends N generated malformed requests (hostile-requests.ts,
 * drawn from the seed) from two workers, reads the footprint again, and lets `bad-input-rejected`
 * judge: every answer a 4xx problem+json, nothing written.
 */
import fc from 'fast-check';
import { badInputRejected } from '../../checkers/bad-input-rejected.ts';
import type { Op } from '../../core/op.ts';
import { str } from '../../core/vocabulary.ts';
import { publishNext } from '../../workload/publish-rounds.ts';
import type { Generator } from '../../workload/generators.ts';
import type { WorkloadContext } from '../../workload/context.ts';
import { noopScenario, type Scenario } from '../../runner/scenario.ts';
import { hostileRequest } from './hostile-requests.ts';
import type { HostileRequest, HostileTargets } from './hostile-types.ts';

const OVERFLOW_PRICE = 1_000_000_000_000;

/** Records the tenant's footprint as an op (`f: footprint`, `phase`). */
async function footprint(ctx: WorkloadContext, phase: 'before' | 'after'): Promise<void> {
  const process = phase === 'before' ? 'setup' : 'final';
  ctx.history.append({ process, type: 'invoke', f: 'footprint', value: { phase } });
  const counts = await ctx.reads.footprint(ctx.tenants);
  ctx.history.append({ process, type: 'ok', f: 'footprint', value: { phase, counts } });
}

async function setUp(ctx: WorkloadContext): Promise<HostileTargets> {
  const tenant = ctx.tenants[0] as string;
  const ops = ctx.ops('setup');
  const need = (op: Op, what: string) => {
    if (op.type !== 'ok') throw new Error(`setting up ${what} failed: ${op.error ?? 'no answer'}`);
    return op;
  };
  need(await publishNext(ctx, 'setup', tenant, 'catalog'), 'the catalog');
  need(
    await ops.publishPrices(tenant, { router: OVERFLOW_PRICE, switch: 100, firewall: 200, license: 300, support: 400 }),
    'the price list',
  );
  need(await ops.publishPolicy(tenant, 30), 'the policy');
  const create = async (offeringId: string, quantity: number) =>
    str(
      need(await ops.createQuote(tenant, [{ offeringId, quantity, discountPct: 0 }]), 'a quote').value.quoteId,
    ) as string;
  const draftQuote = await create('switch', 1);
  const overflowQuote = await create('router', 1_000_000);
  const acceptedQuote = await create('switch', 2);
  for (const action of ['price', 'submit', 'accept'] as const)
    need(await ops.transition(tenant, acceptedQuote, action), `the accepted quote (${action})`);
  return { tenant, draftQuote, acceptedQuote, overflowQuote };
}

/** Sends one request and records it: ok (2xx/3xx), fail (4xx), info (5xx or no answer). */
async function send(ctx: WorkloadContext, process: number, request: HostileRequest): Promise<void> {
  const { endpoint, mutation, method, path } = request;
  const value = {
    endpoint,
    mutation,
    method,
    path: path.length > 200 ? `${path.slice(0, 200)}…` : path,
    bodyBytes: request.body === undefined ? 0 : Buffer.byteLength(request.body),
  };
  ctx.history.append({ process, type: 'invoke', f: 'hostile', value });
  const base = ctx.apiUrls[process % ctx.apiUrls.length] as string;
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let code: unknown;
    try {
      code = (JSON.parse(text) as { code?: unknown }).code;
    } catch {
      code = undefined;
    }
    const status = response.status;
    ctx.history.append({
      process,
      type: status < 400 ? 'ok' : status < 500 ? 'fail' : 'info',
      f: 'hostile',
      value: {
        ...value,
        status,
        contentType: response.headers.get('content-type') ?? '',
        ...(typeof code === 'string' ? { code } : {}),
      },
      ...(status >= 400 ? { error: typeof code === 'string' ? code : `HTTP ${status}` } : {}),
    });
  } catch (error) {
    ctx.history.append({
      process,
      type: 'info',
      f: 'hostile',
      value,
      error: (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message,
    });
  }
}

/** The hostile-input scenario: `requests` malformed requests drawn from `seed`. */
export function hostileInputScenario(requests: number, seed: number): Scenario {
  const drawn = fc.sample(hostileRequest(), { seed, numRuns: requests });
  let targets: HostileTargets | undefined;
  return {
    ...noopScenario,
    name: 'hostile-input',
    family: 'input',
    purpose: 'every malformed request to every endpoint is refused with a 4xx problem+json and writes nothing',
    tags: ['explore', 'input'],
    checkers: [badInputRejected],
    tenants: 1,
    concurrency: 2,
    instances: 1,
    setup: async (ctx) => {
      targets = await setUp(ctx);
      await footprint(ctx, 'before');
    },
    workload: (ctx) => {
      let next = 0;
      const gen: Generator = {
        next: () => {
          const make = drawn[next++];
          if (!make || !targets) return undefined;
          const request = make(targets);
          return (w) => send(ctx, w.process, request);
        },
      };
      return [{ name: 'hostile requests', gen }];
    },
    finalReads: (ctx) => footprint(ctx, 'after'),
  };
}

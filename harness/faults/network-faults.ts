/**
 * Network faults through Toxiproxy, per proxy (one component's path to one service): disable and
 * enable, and toxics — latency, timeout, reset_peer, bandwidth, slicer, limit_data — whose
 * parameters the harness draws from the run's seed. Toxicity is always 1: Toxiproxy's own dice are
 * never rolled. A black hole (timeout 0) swallows every byte and closes nothing until it heals;
 * a cut (limit_data) lets each connection send a few hundred bytes more, then closes it — in the
 * middle of whatever transaction it was in.
 */
import type { Random } from '../core/random.ts';
import { allOf, type Fault, type FaultContext } from './fault.ts';

async function setEnabled(ctx: FaultContext, proxyName: string, enabled: boolean): Promise<void> {
  const proxy = await ctx.env.toxiproxy.client().get(proxyName);
  await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
}

/** `proxy-disable`: the proxy stops accepting and drops its connections; enabled again on stop. */
export function proxyDisable(proxyName: string): Fault {
  return {
    name: 'proxy-disable',
    target: proxyName,
    async invoke(ctx, action) {
      await setEnabled(ctx, proxyName, action === 'stop');
      return { enabled: action === 'stop' };
    },
  };
}

/** `redis-outage`: Redis unreachable from every component (its proxies disabled); Redis itself runs on. */
export const redisOutage: Fault = {
  name: 'redis-outage',
  target: 'redis',
  async invoke(ctx, action) {
    const proxies = ctx.env.endpoints.proxies.filter((name) => name.endsWith('-redis'));
    await Promise.all(proxies.map((name) => setEnabled(ctx, name, action === 'stop')));
    return { proxies };
  },
};

export type ToxicType = 'latency' | 'timeout' | 'reset_peer' | 'bandwidth' | 'slicer' | 'limit_data';

/** Toxic attributes drawn from the seed. */
export function toxicAttributes(type: ToxicType, random: Random): Record<string, number> {
  switch (type) {
    case 'latency':
      return { latency: random.int(100, 1000), jitter: 0 };
    case 'timeout':
      return { timeout: random.int(0, 1) === 0 ? 0 : random.int(500, 3000) };
    case 'reset_peer':
      return { timeout: 0 };
    case 'bandwidth':
      return { rate: random.int(1, 64) };
    case 'slicer':
      return { average_size: random.int(1, 64), size_variation: 0, delay: random.int(0, 1000) };
    case 'limit_data':
      return { bytes: random.int(200, 4000) };
  }
}

type Stream = 'downstream' | 'upstream';

/**
 * `proxy-<type>`: adds the toxic to `proxyName` on start, removes it on stop — on the responses
 * only for latency, on both directions otherwise, unless `streams` says which.
 */
export function proxyToxic(
  proxyName: string,
  type: ToxicType,
  attributes?: Record<string, number>,
  options: { streams?: readonly Stream[]; name?: string } = {},
): Fault {
  const streams: readonly Stream[] =
    options.streams ?? (type === 'latency' ? ['downstream'] : ['downstream', 'upstream']);
  return {
    name: options.name ?? `proxy-${type.replace('_', '-')}`,
    target: proxyName,
    async invoke(ctx, action) {
      const proxy = await ctx.env.toxiproxy.client().get(proxyName);
      const names = streams.map((stream) => `cpqchaos-${options.name ?? type}-${stream}`);
      if (action === 'stop') {
        const present = new Set(
          (
            (await (await fetch(`${ctx.env.endpoints.services.toxiproxy.url}/proxies/${proxyName}/toxics`)).json()) as {
              name: string;
            }[]
          ).map((t) => t.name),
        );
        await Promise.all(names.filter((n) => present.has(n)).map(async (n) => (await proxy.getToxic(n)).remove()));
        return { removed: names };
      }
      const chosen = attributes ?? toxicAttributes(type, ctx.random);
      for (const [i, stream] of streams.entries()) {
        await proxy.addToxic({ name: names[i] as string, type, stream, toxicity: 1, attributes: chosen });
      }
      return { toxic: type, attributes: chosen };
    },
  };
}

/**
 * `lost-ack`: on `proxyName` requests still reach the service but no response comes back (a
 * timeout toxic on the downstream stream only, closing each connection after `closeAfterMs`), so
 * a producer times out on a write the broker has already taken and sends it again.
 */
export function lostAck(proxyName: string, closeAfterMs = 2000): Fault {
  return proxyToxic(proxyName, 'timeout', { timeout: closeAfterMs }, { streams: ['downstream'], name: 'lost-ack' });
}

/**
 * `<name>`: every proxy of `proxies` becomes a black hole — connections stay open, every byte in
 * both directions is dropped, nothing answers or closes (a dead switch, a half-open peer). Toxiproxy
 * closes the black-holed connections when the toxic goes, as a middlebox's timeout would.
 */
export function blackhole(name: string, target: string, proxies: readonly string[]): Fault {
  const holes = proxies.map((proxy) => proxyToxic(proxy, 'timeout', { timeout: 0 }, { name }));
  return holes.length === 1 ? (holes[0] as Fault) : allOf(name, target, holes);
}

/**
 * `postgres-cut`: on `proxyName` each connection is closed after it sends a few hundred to a few
 * thousand more bytes (drawn from the seed) — so connections die between the statements of a
 * transaction, and new ones die soon after they open, until it heals.
 */
export function cutMidTransaction(proxyName: string): Fault {
  return proxyToxic(proxyName, 'limit_data', undefined, { streams: ['upstream'], name: 'postgres-cut' });
}

/**
 * Network faults through Toxiproxy, per proxy (one component's path to one service): disable and
 * enable, and toxics — latency, timeout, reset_peer, bandwidth, slicer — whose parameters the
 * harness draws from the run's seed. Toxicity is always 1: Toxiproxy's own dice are never rolled.
 */
import type { Random } from '../core/random.ts';
import type { Fault, FaultContext } from './fault.ts';

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

export type ToxicType = 'latency' | 'timeout' | 'reset_peer' | 'bandwidth' | 'slicer';

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
      const names = streams.map((stream) => `cpqchaos-${type}-${stream}`);
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

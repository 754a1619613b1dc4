// Integration: every fault really happens and its heal really heals, on the real services — Redis
// really restarted (new run_id) and empty, really frozen, really unreachable, really back from an
// older snapshot; PostgreSQL really frozen (open connections too) and really killed; the Kafka broker
// really frozen; toxics really delay, reset and stall; a component really killed and restarted. And
// the nemesis records each action in the history and heals what is left at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryWriter } from '../core/history.ts';
import { Random } from '../core/random.ts';
import { faultWindows as windowsIn } from '../core/vocabulary.ts';
import { startEnvironment, type Environment } from '../env/environment.ts';
import { topicsWithLeaders } from '../env/kafka-admin.ts';
import { fastFailRedis, queryOnce } from '../env/testing/clients.ts';
import { ReferenceSystem } from '../system/reference-system.ts';
import { cacheFlush, redisStaleSnapshot } from './cache-faults.ts';
import { allOf, type Fault, type FaultContext } from './fault.ts';
import { Nemesis } from './nemesis.ts';
import { proxyDisable, proxyToxic, redisOutage } from './network-faults.ts';
import {
  componentKill,
  componentPause,
  kafkaPause,
  postgresKill,
  postgresPause,
  redisKill,
  redisPause,
} from './process-faults.ts';
import { faultPackage } from './schedule.ts';

let env: Environment;
let system: ReferenceSystem;
let ctx: FaultContext;

beforeAll(async () => {
  env = await startEnvironment();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-'));
  system = await ReferenceSystem.start({ endpoints: env.endpoints, bugs: [], instances: 1, dir, logLevel: 'warn' });
  ctx = { env, system, random: new Random('faults-test'), dir };
});

afterAll(async () => {
  await system?.stop();
  await env?.stop();
});

const redisAt = async <T>(url: string, fn: (r: ReturnType<typeof fastFailRedis>) => Promise<T>): Promise<T> => {
  const client = fastFailRedis(url);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
};
const runId = (url: string) => redisAt(url, async (r) => /run_id:(\w+)/.exec(await r.info('server'))?.[1]);
const during = async (fault: Fault, whileOn: () => Promise<void>) => {
  await fault.invoke(ctx, 'start');
  try {
    await whileOn();
  } finally {
    await fault.invoke(ctx, 'stop');
  }
};

describe('process faults', () => {
  it('redis-kill: Redis is really gone, then back on the same port as a new, empty process', async () => {
    const url = env.redis.directUrl;
    await redisAt(url, (r) => r.set('k', 'v'));
    const before = await runId(url);
    const started = await redisKill.invoke(ctx, 'start');
    expect(env.redis.isRunning()).toBe(false);
    await expect(redisAt(url, (r) => r.ping())).rejects.toThrow();
    const healed = await redisKill.invoke(ctx, 'stop');
    expect(healed).toMatchObject({ restarted: true });
    expect(healed.pid).not.toBe(started.killedPid);
    expect(await runId(url)).not.toBe(before);
    expect(await redisAt(url, (r) => r.get('k'))).toBeNull();
  });

  it('redis-pause: commands stall while frozen and answer after the heal', async () => {
    await during(redisPause, async () => {
      await expect(redisAt(env.redis.directUrl, (r) => r.ping())).rejects.toThrow();
    });
    expect(await redisAt(env.redis.directUrl, (r) => r.ping())).toBe('PONG');
  });

  it('postgres-pause and postgres-kill: an open connection stalls while frozen; queries fail while it is gone; both heal', async () => {
    const url = env.endpoints.services.postgres.directUrl;
    const open = new pg.Client({ connectionString: url });
    open.on('error', () => undefined);
    await open.connect();
    let answered = false;
    await during(postgresPause, async () => {
      const query = open.query('select 1').finally(() => (answered = true));
      await new Promise((r) => setTimeout(r, 1000));
      expect(answered).toBe(false);
      void query;
    });
    await expect.poll(() => answered).toBe(true);
    await open.end();
    await during(postgresKill, async () => {
      expect(env.postgres.isRunning()).toBe(false);
      await expect(queryOnce(url, 'select 1', 2000)).rejects.toThrow();
    });
    expect(await queryOnce(url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('kafka-pause: the broker answers nothing while frozen, and again after the heal', async () => {
    const broker = env.endpoints.services.kafka.directBrokers[0] as string;
    await during(kafkaPause, async () => {
      await expect(topicsWithLeaders(broker)).rejects.toThrow();
    });
    expect(await topicsWithLeaders(broker)).toContain('cpq.order.events');
  });

  it('component kill and pause: the invalidation consumer is really killed, restarted, frozen and thawed', async () => {
    const invalidation = system.component('invalidation');
    const health = () => fetch(`${invalidation.url}/healthz`, { signal: AbortSignal.timeout(1500) });
    const pid = invalidation.record.pid;
    await during(componentKill('invalidation'), async () => {
      expect(invalidation.isRunning()).toBe(false);
      await expect(health()).rejects.toThrow();
    });
    expect(invalidation.record.pid).not.toBe(pid);
    expect((await health()).status).toBe(200);
    await during(componentPause('invalidation'), async () => {
      await expect(health()).rejects.toThrow();
    });
    expect((await health()).status).toBe(200);
  });
});

describe('network faults', () => {
  it('redis-outage: every component path to Redis is cut while Redis itself keeps running', async () => {
    await during(redisOutage, async () => {
      await expect(redisAt(env.endpoints.services.redis.url, (r) => r.ping())).rejects.toThrow();
      await expect(redisAt(env.endpoints.paths.consumers.redis as string, (r) => r.ping())).rejects.toThrow();
      expect(await redisAt(env.redis.directUrl, (r) => r.ping())).toBe('PONG');
    });
    expect(await redisAt(env.endpoints.services.redis.url, (r) => r.ping())).toBe('PONG');
  });

  it('proxy-disable cuts one path only', async () => {
    await during(proxyDisable('relay-postgres'), async () => {
      await expect(queryOnce(env.endpoints.paths.relay.postgres as string, 'select 1', 1500)).rejects.toThrow();
      expect(await queryOnce(env.endpoints.services.postgres.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    });
    expect(await queryOnce(env.endpoints.paths.relay.postgres as string, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('proxy-latency really delays, by the drawn amount', async () => {
    await during(proxyToxic('api-redis', 'latency', { latency: 400, jitter: 0 }), async () => {
      const elapsed = await redisAt(env.endpoints.services.redis.url, async (r) => {
        const from = performance.now();
        await r.ping();
        return performance.now() - from;
      });
      expect(elapsed).toBeGreaterThanOrEqual(380);
    });
  });

  it('proxy-reset-peer resets connections; proxy-timeout stalls them; both heal', async () => {
    await during(proxyToxic('api-postgres', 'reset_peer'), async () => {
      await expect(queryOnce(env.endpoints.services.postgres.url, 'select 1', 2000)).rejects.toThrow();
    });
    await during(proxyToxic('api-postgres', 'timeout', { timeout: 0 }), async () => {
      await expect(queryOnce(env.endpoints.services.postgres.url, 'select 1', 1500)).rejects.toThrow();
    });
    expect(await queryOnce(env.endpoints.services.postgres.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    const toxics = await (await fetch(`${env.endpoints.services.toxiproxy.url}/proxies/api-postgres/toxics`)).json();
    expect(toxics).toEqual([]);
  });

  it('draws toxic parameters from the seed, the same for the same seed', async () => {
    const fault = proxyToxic('consumers-kafka', 'bandwidth');
    const a = await fault.invoke({ ...ctx, random: new Random('s') }, 'start');
    await fault.invoke(ctx, 'stop');
    const b = await fault.invoke({ ...ctx, random: new Random('s') }, 'start');
    await fault.invoke(ctx, 'stop');
    expect(a).toEqual(b);
    expect((a.attributes as { rate: number }).rate).toBeGreaterThanOrEqual(1);
  });
});

describe('cache faults', () => {
  it('cache-flush empties Redis', async () => {
    await redisAt(env.redis.directUrl, (r) => r.set('flush-me', '1'));
    const result = await cacheFlush.invoke(ctx, 'start');
    expect(result.keysFlushed).toBeGreaterThanOrEqual(1);
    expect(await redisAt(env.redis.directUrl, (r) => r.dbsize())).toBe(0);
  });

  it('redis-stale-snapshot brings Redis back with the state of the fault start', async () => {
    const url = env.redis.directUrl;
    await redisAt(url, (r) => r.set('cpq:t:pricing:active-version', '1'));
    await redisStaleSnapshot.invoke(ctx, 'start');
    await redisAt(url, async (r) => {
      await r.set('cpq:t:pricing:active-version', '2');
      await r.set('written-later', 'x');
    });
    const healed = await redisStaleSnapshot.invoke(ctx, 'stop');
    expect(healed).toMatchObject({ restored: true });
    expect(await redisAt(url, (r) => r.get('cpq:t:pricing:active-version'))).toBe('1');
    expect(await redisAt(url, (r) => r.get('written-later'))).toBeNull();
  });
});

describe('nemesis', () => {
  it('heals a fault whose start threw after applying part of itself: no toxic left, every proxy enabled', async () => {
    const refuses: Fault = {
      name: 'refuses',
      target: 'api-postgres',
      invoke: async (_ctx, action) => {
        if (action === 'start') throw new Error('refused half-way');
        return {};
      },
    };
    const half = allOf('half-applied', 'api-redis+api-postgres', [
      proxyToxic('api-redis', 'latency', { latency: 300, jitter: 0 }),
      proxyDisable('relay-kafka'),
      refuses,
    ]);
    const history = new HistoryWriter(path.join(ctx.dir, 'half-history.jsonl'));
    const nemesis = new Nemesis([], { env, system, dir: ctx.dir }, history, new Random(3));
    await nemesis.inject(half, 'start');
    const toxicsOf = async (name: string) =>
      (await (await fetch(`${env.endpoints.services.toxiproxy.url}/proxies/${name}/toxics`)).json()) as unknown[];
    expect(await toxicsOf('api-redis')).toHaveLength(1); // really half-applied
    await nemesis.healAll();
    history.close();
    expect(history.history.map((op) => `${op.type} ${op.f}`)).toEqual([
      'invoke start-fault',
      'info start-fault',
      'invoke stop-fault',
      'ok stop-fault',
    ]);
    const proxies = (await (await fetch(`${env.endpoints.services.toxiproxy.url}/proxies`)).json()) as Record<
      string,
      { enabled: boolean; toxics: unknown[] }
    >;
    expect(Object.values(proxies).every((p) => p.enabled && p.toxics.length === 0)).toBe(true);
  });

  it('records every action as nemesis ops and heals what is still in effect at the end', async () => {
    const file = path.join(ctx.dir, 'history.jsonl');
    const history = new HistoryWriter(file);
    const nemesis = new Nemesis(
      [
        faultPackage(redisOutage, [
          { atMs: 50, action: 'start' },
          { atMs: 300, action: 'stop' },
        ]),
        faultPackage(proxyDisable('api-kafka'), [{ atMs: 100, action: 'start' }]),
      ],
      { env, system, dir: ctx.dir },
      history,
      new Random(9),
    );
    await nemesis.setup();
    await nemesis.run(performance.now());
    expect(nemesis.inEffect).toEqual(['proxy-disable:api-kafka']);
    await nemesis.healAll();
    await nemesis.teardown();
    history.close();
    expect(nemesis.inEffect).toEqual([]);
    const ops = history.history;
    expect(ops.every((op) => op.process === 'nemesis')).toBe(true);
    expect(ops.filter((op) => op.type === 'ok').map((op) => `${op.f} ${op.value.fault}`)).toEqual([
      'start-fault redis-outage',
      'start-fault proxy-disable',
      'stop-fault redis-outage',
      'stop-fault proxy-disable',
    ]);
    expect(windowsIn(ops).map((w) => w.fault)).toEqual(['redis-outage', 'proxy-disable']);
    const proxies = (await (await fetch(`${env.endpoints.services.toxiproxy.url}/proxies`)).json()) as Record<
      string,
      { enabled: boolean }
    >;
    expect(Object.values(proxies).every((p) => p.enabled)).toBe(true);
  });
});

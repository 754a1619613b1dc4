// Integration: the fault classes beyond brief outages really happen and really heal, on the real
// services. A black hole keeps connections open and answers nothing (a client waits for its own
// timeout, unlike a refusal) and closes them when it heals; a cut closes a connection in the middle
// of a transaction, and nothing of that transaction commits; PostgreSQL, Redis and Kafka refuse
// messages and writes with their own errors while reads go on; a component's wall clock jumps ten minutes back
// and comes back; a fault sized from a budget holds at least that long.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../core/random.ts';
import { fastFailRedis, produceOne, queryOnce } from '../env/testing/clients.ts';
import { startStack, type Stack } from '../system/testing/stack.ts';
import { clockSkew } from './clock-faults.ts';
import type { Fault, FaultContext } from './fault.ts';
import { blackhole, cutMidTransaction } from './network-faults.ts';
import { kafkaRefusesProduce, postgresRefusesWrites, redisRefusesWrites } from './refusal-faults.ts';

let stack: Stack;
let ctx: FaultContext;

beforeAll(async () => {
  stack = await startStack({ instances: 1, clock: true });
  ctx = {
    env: stack.env,
    system: stack.system,
    random: new Random('fault-classes'),
    dir: fs.mkdtempSync(path.join(os.tmpdir(), 'fc-')),
  };
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const during = async <T>(fault: Fault, whileOn: () => Promise<T>): Promise<T> => {
  await fault.invoke(ctx, 'start');
  try {
    return await whileOn();
  } finally {
    await fault.invoke(ctx, 'stop');
  }
};
/** How long `promise` took to settle (ms), and how. */
const timed = async (promise: Promise<unknown>) => {
  const started = performance.now();
  const outcome = await promise.then(
    () => 'resolved',
    (error: Error) => error.message,
  );
  return { ms: performance.now() - started, outcome };
};
const apiPostgres = () => stack.env.endpoints.paths.api.postgres as string;
const proxiedClient = async (timeoutMs: number) => {
  const client = new pg.Client({ connectionString: apiPostgres(), query_timeout: timeoutMs });
  client.on('error', () => undefined);
  await client.connect();
  return client;
};

describe('freezes and black holes', () => {
  it('redis-blackhole: an open connection gets no answer and no error until its own timeout; Redis itself answers', async () => {
    const redis = fastFailRedis(stack.env.endpoints.paths.api.redis as string);
    await redis.connect();
    try {
      expect(await redis.ping()).toBe('PONG');
      const hole = blackhole('redis-blackhole', 'redis', ['api-redis', 'consumers-redis']);
      const during_ = await during(hole, async () => {
        const direct = fastFailRedis(stack.env.redis.directUrl);
        await direct.connect();
        const ping = await direct.ping().finally(() => direct.disconnect());
        return { ping, proxied: await timed(redis.ping()) };
      });
      expect(during_.ping).toBe('PONG');
      expect(during_.proxied.outcome).toMatch(/timed out|timeout/i);
      expect(during_.proxied.ms).toBeGreaterThan(900);
      await expect.poll(() => redis.ping().catch(() => 'not yet'), { timeout: 10_000 }).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('postgres-blackhole: a query on an open connection waits for the client timeout, then a new one works', async () => {
    const client = await proxiedClient(1500);
    try {
      const hole = blackhole('postgres-blackhole', 'postgres', ['api-postgres']);
      const waited = await during(hole, () => timed(client.query('select 1')));
      expect(waited.outcome).toMatch(/timeout/i);
      expect(waited.ms).toBeGreaterThan(1400);
    } finally {
      await client.end().catch(() => undefined);
    }
    expect(await queryOnce(apiPostgres(), 'select 1 as one')).toEqual([{ one: 1 }]);
  });
});

describe('a connection cut mid-transaction', () => {
  it('postgres-cut: the connection dies inside the transaction, nothing of it commits; after the heal all is well', async () => {
    await queryOnce(
      stack.env.endpoints.services.postgres.directUrl,
      'create table if not exists cut_probe (n int, pad text)',
    );
    const client = await proxiedClient(3000);
    let inserted = 0;
    const error = await during(cutMidTransaction('api-postgres'), async () => {
      try {
        await client.query('begin');
        for (; inserted < 200; inserted++)
          await client.query("insert into cut_probe values ($1, repeat('x', 200))", [inserted]);
        await client.query('commit');
        return undefined;
      } catch (caught) {
        return (caught as Error).message;
      } finally {
        await client.end().catch(() => undefined);
      }
    });
    expect(error).toBeDefined();
    expect(inserted).toBeLessThan(200);
    const rows = await queryOnce(
      stack.env.endpoints.services.postgres.directUrl,
      'select count(*)::int as n from cut_probe',
    );
    expect(rows).toEqual([{ n: 0 }]);
    const after = await proxiedClient(3000);
    try {
      await after.query('begin');
      for (let i = 0; i < 200; i++) await after.query("insert into cut_probe values ($1, repeat('x', 200))", [i]);
      await after.query('rollback');
    } finally {
      await after.end();
    }
  });
});

describe('dependencies refusing', () => {
  it('postgres-refuses-writes: inserts fail with a serialization failure, reads answer; healed, inserts work', async () => {
    const direct = stack.env.endpoints.services.postgres.directUrl;
    await queryOnce(direct, 'create table if not exists refusal_probe (n int)');
    const fault = postgresRefusesWrites(['refusal_probe']);
    const refused = await during(fault, async () => {
      const client = new pg.Client({ connectionString: direct });
      await client.connect();
      try {
        const write = await client.query('insert into refusal_probe values (1)').catch((e: { code?: string }) => e);
        return {
          code: (write as { code?: string }).code,
          read: (await client.query('select count(*)::int as n from refusal_probe')).rows,
        };
      } finally {
        await client.end();
      }
    });
    expect(refused).toEqual({ code: '40001', read: [{ n: 0 }] });
    await queryOnce(direct, 'insert into refusal_probe values (2)');
    await fault.teardown?.(ctx);
  });

  it('redis-refuses-writes: SET answers NOREPLICAS, GET answers; healed, SET works', async () => {
    const redis = fastFailRedis(stack.env.redis.directUrl);
    await redis.connect();
    try {
      await redis.set('refusal', 'before');
      const during_ = await during(redisRefusesWrites, async () => ({
        write: await redis.set('refusal', 'during').catch((e: Error) => e.message),
        read: await redis.get('refusal'),
      }));
      expect(during_.write).toMatch(/NOREPLICAS/);
      expect(during_.read).toBe('before');
      expect(await redis.set('refusal', 'after')).toBe('OK');
    } finally {
      redis.disconnect();
    }
  });

  it('kafka-refuses-produce: the broker refuses an event-sized message as too large; healed, it is taken', async () => {
    const brokers = stack.env.endpoints.services.kafka.directBrokers;
    const event = JSON.stringify({ eventId: 'e', payload: 'x'.repeat(200) });
    const refused = await during(kafkaRefusesProduce, () =>
      produceOne(brokers, 'cpq.quote.events', 'k', event).then(
        () => 'taken',
        (e: Error) => e.message,
      ),
    );
    expect(refused).toMatch(/larger than the max message size/);
    expect(await produceOne(brokers, 'cpq.quote.events', 'k', event)).toMatch(/^\d+$/);
  }, 60_000);
});

describe('clock jumps', () => {
  it('clock-skew: the component answers with a clock ten minutes behind; healed, with the real time', async () => {
    const api = stack.system.component('api-1');
    const offset = async () => Date.parse((await fetch(`${api.url}/healthz`)).headers.get('date') ?? '') - Date.now();
    expect(Math.abs(await offset())).toBeLessThan(2000);
    const fault = clockSkew('api-1', -600_000);
    await fault.setup?.(ctx);
    const started = await fault.invoke(ctx, 'start');
    expect(started).toEqual({ offsetMs: -600_000 });
    expect(await offset()).toBeLessThan(-595_000);
    expect(await fault.invoke(ctx, 'stop')).toEqual({ offsetMs: 0 });
    expect(Math.abs(await offset())).toBeLessThan(2000);
  });
});

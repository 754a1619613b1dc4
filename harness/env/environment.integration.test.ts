// Integration: one real environment (PostgreSQL, Redis, Kafka, Toxiproxy as native processes) and
// the abilities faults rely on — every path answers, a disabled proxy really cuts its client off, a
// kill -9 really restarts Redis empty on the same port, SIGSTOP really stalls PostgreSQL.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEnvironment, type Environment } from './environment.ts';
import { isPortFree } from './ports.ts';
import { groupMembers } from './process.ts';
import { consumeUntil, fastFailRedis, kafkaClient, produceOne, queryOnce } from './testing/clients.ts';
import { KAFKA_TOPICS } from './versions.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let env: Environment;

beforeAll(async () => {
  env = await startEnvironment();
});

afterAll(async () => {
  await env?.stop();
});

const redisRunId = async (url: string): Promise<string> => {
  const client = fastFailRedis(url);
  await client.connect();
  try {
    const info = await client.info('server');
    return /run_id:(\w+)/.exec(info)?.[1] ?? '';
  } finally {
    client.disconnect();
  }
};

describe('every service answers directly and through each of its proxies', () => {
  it('postgres: a real query on the direct URL and on every component path', async () => {
    const { postgres } = env.endpoints.services;
    const urls = [
      postgres.directUrl,
      postgres.url,
      ...Object.values(env.endpoints.paths).flatMap((p) => (p.postgres ? [p.postgres] : [])),
    ];
    expect(urls.length).toBe(5);
    for (const url of urls) {
      const [row] = await queryOnce<{ answer: number }>(url, 'select 40 + 2 as answer');
      expect(row?.answer).toBe(42);
    }
    const extensions = await queryOnce<{ extname: string }>(postgres.directUrl, 'select extname from pg_extension');
    expect(extensions.map((e) => e.extname)).toContain('pg_stat_statements');
    // A queue table's dead rows are vacuumed within seconds, not a minute (SERVER_SETTINGS in env/postgres.ts).
    const [naptime] = await queryOnce<{ setting: string }>(
      postgres.directUrl,
      "select setting from pg_settings where name = 'autovacuum_naptime'",
    );
    expect(naptime?.setting).toBe('5');
  });

  it('redis: a value written directly is read through the api and consumers proxies', async () => {
    const direct = fastFailRedis(env.endpoints.services.redis.directUrl);
    await direct.connect();
    await direct.set('env-test:key', 'through-the-proxy');
    direct.disconnect();
    for (const url of [env.endpoints.services.redis.url, env.endpoints.paths.consumers.redis as string]) {
      const proxied = fastFailRedis(url);
      await proxied.connect();
      expect(await proxied.get('env-test:key')).toBe('through-the-proxy');
      proxied.disconnect();
    }
  });

  it('kafka: the contract topics exist; produced through a proxy, consumed directly', async () => {
    const admin = kafkaClient(env.endpoints.services.kafka.directBrokers).admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).toEqual(expect.arrayContaining([...KAFKA_TOPICS]));

    const marker = `m-${Date.now()}`;
    await produceOne(env.endpoints.paths.relay.kafka as string[], 'cpq.order.events', 'order-1', marker);
    const seen = await consumeUntil(env.endpoints.services.kafka.directBrokers, 'cpq.order.events', (v) =>
      v.includes(marker),
    );
    expect(seen).toContain(marker);
  });

  it('kafka: metadata fetched through a proxy advertises only that proxy, so clients cannot bypass it', async () => {
    for (const [component, paths] of Object.entries(env.endpoints.paths)) {
      if (!paths.kafka) continue;
      const admin = kafkaClient(paths.kafka).admin();
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.disconnect();
      expect(
        cluster.brokers.map((b) => `${b.host}:${b.port}`),
        component,
      ).toEqual(paths.kafka);
    }
  });

  it('toxiproxy: the API answers and lists every proxy, enabled', async () => {
    const response = await fetch(`${env.endpoints.services.toxiproxy.url}/proxies`);
    const proxies = (await response.json()) as Record<string, { enabled: boolean }>;
    expect(Object.keys(proxies).sort()).toEqual([...env.endpoints.proxies].sort());
    expect(Object.values(proxies).every((p) => p.enabled)).toBe(true);
  });
});

describe('process and network abilities', () => {
  it('a disabled proxy cuts its client off; re-enabling restores it (others are untouched)', async () => {
    const proxy = await env.toxiproxy.client().get('api-postgres');
    const viaApi = env.endpoints.services.postgres.url;
    const viaRelay = env.endpoints.paths.relay.postgres as string;
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    try {
      await expect(queryOnce(viaApi, 'select 1', 1500)).rejects.toThrow();
      expect(await queryOnce(viaRelay, 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    }
    expect(await queryOnce(viaApi, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('redis kill -9 + start: a new process (new run_id) on the same port, empty', async () => {
    const url = env.endpoints.services.redis.directUrl;
    const client = fastFailRedis(url);
    await client.connect();
    await client.set('survives?', 'no');
    client.disconnect();
    const before = { runId: await redisRunId(url), pid: env.redis.record.pid };

    await env.redis.kill();
    expect(env.redis.isRunning()).toBe(false);
    expect(groupMembers(before.pid)).toEqual([]);
    // The kernel releases a killed listener's port as the process is torn down: allow it a moment.
    const released = Date.now() + 2000;
    while (!(await isPortFree(Number(new URL(env.redis.directUrl).port))) && Date.now() < released) await sleep(50);
    expect(await isPortFree(Number(new URL(env.redis.directUrl).port))).toBe(true);

    await env.redis.start();
    const after = { runId: await redisRunId(url), pid: env.redis.record.pid };
    expect(after.pid).not.toBe(before.pid);
    expect(after.runId).not.toBe(before.runId);
    const again = fastFailRedis(env.endpoints.services.redis.url);
    await again.connect();
    expect(await again.get('survives?')).toBeNull();
    again.disconnect();
  });

  it('SIGSTOP stalls PostgreSQL queries until SIGCONT — new connections and ones already open', async () => {
    const url = env.endpoints.services.postgres.directUrl;
    // A connection opened before the pause: its backend left the postmaster's process group (setsid).
    const open = new pg.Client({ connectionString: url });
    await open.connect();
    try {
      await env.postgres.pause();
      let settled = 0;
      const fresh = queryOnce<{ one: number }>(url, 'select 1 as one', 20_000).finally(() => settled++);
      const existing = open.query<{ two: number }>('select 2 as two').finally(() => settled++);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(settled).toBe(0);
        expect(env.postgres.isPaused()).toBe(true);
      } finally {
        await env.postgres.resume();
      }
      expect(await fresh).toEqual([{ one: 1 }]);
      expect((await existing).rows).toEqual([{ two: 2 }]);
    } finally {
      await open.end();
    }
  });

  it('kafka kill -9 + start: back on the same port with its data (topics and messages kept)', async () => {
    const marker = `before-kill-${Date.now()}`;
    await produceOne(env.endpoints.services.kafka.directBrokers, 'cpq.quote.events', 'quote-1', marker);
    const pid = env.kafka.record.pid;
    await env.kafka.kill();
    expect(groupMembers(pid)).toEqual([]);
    await env.kafka.start();
    expect(env.kafka.record.pid).not.toBe(pid);
    const seen = await consumeUntil(env.endpoints.services.kafka.brokers, 'cpq.quote.events', (v) =>
      v.includes(marker),
    );
    expect(seen).toContain(marker);
  });
});

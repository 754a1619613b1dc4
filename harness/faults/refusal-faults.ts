/**
 * Dependencies that answer, but with an error: the broker refusing produces (each contract topic
 * takes no message over 64 bytes, so every event is refused as too large — a single broker caps
 * min.insync.replicas at its replica count, so that refusal cannot be had here), PostgreSQL
 * refusing writes to a table (a trigger raising a serialization failure, as a busy SERIALIZABLE
 * database would), Redis refusing writes (it wants a replica it does not have: NOREPLICAS) while it
 * still serves reads. Each is set through the service's own admin surface on its direct endpoint,
 * and undone on heal — and again at teardown, whatever happened.
 */
import pg from 'pg';
import { setTopicConfig } from '../env/kafka-admin.ts';
import { KAFKA_TOPICS } from '../env/versions.ts';
import { redisCommand } from './cache-faults.ts';
import type { Fault, FaultContext } from './fault.ts';

/** The broker's own default for `max.message.bytes` (what a heal puts back). */
const DEFAULT_MAX_MESSAGE_BYTES = '1048588';

/** `kafka-refuses-produce`: every contract topic refuses messages over 64 bytes (MESSAGE_TOO_LARGE). */
export const kafkaRefusesProduce: Fault = {
  name: 'kafka-refuses-produce',
  target: 'kafka',
  async invoke(ctx, action) {
    const limit = action === 'start' ? '64' : DEFAULT_MAX_MESSAGE_BYTES;
    await setTopicConfig(ctx.env.endpoints.services.kafka.directBrokers[0] as string, KAFKA_TOPICS, {
      'max.message.bytes': limit,
    });
    return { topics: KAFKA_TOPICS.length, maxMessageBytes: Number(limit) };
  },
  async teardown(ctx) {
    await this.invoke(ctx, 'stop').catch(() => undefined);
  },
};

async function sql(ctx: FaultContext, statements: readonly string[]): Promise<void> {
  const client = new pg.Client({
    connectionString: ctx.env.endpoints.services.postgres.directUrl,
    // A frozen PostgreSQL never answers: the fault fails (and is recorded so) instead of waiting.
    connectionTimeoutMillis: 5000,
    query_timeout: 10_000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const TRIGGER = 'cpqchaos_refuse_writes';

/**
 * `postgres-refuses-writes`: inserts and updates of `tables` fail with SQLSTATE `sqlstate`
 * (default 40001, serialization_failure) until healed; reads and other tables go on.
 */
export function postgresRefusesWrites(tables: readonly string[], sqlstate = '40001'): Fault {
  const drop = tables.map((t) => `drop trigger if exists ${TRIGGER} on ${pg.escapeIdentifier(t)}`);
  return {
    name: 'postgres-refuses-writes',
    target: tables.join('+'),
    async invoke(ctx, action) {
      if (action === 'stop') {
        await sql(ctx, drop);
        return { tables };
      }
      await sql(ctx, [
        `create or replace function ${TRIGGER}() returns trigger language plpgsql as $$
           begin raise exception 'cpqchaos: % refuses writes', tg_table_name using errcode = tg_argv[0]; end $$`,
        ...drop,
        ...tables.map(
          (t) =>
            `create trigger ${TRIGGER} before insert or update on ${pg.escapeIdentifier(t)} for each row execute function ${TRIGGER}('${sqlstate}')`,
        ),
      ]);
      return { tables, sqlstate };
    },
    async teardown(ctx) {
      await sql(ctx, [...drop, `drop function if exists ${TRIGGER}()`]).catch(() => undefined);
    },
  };
}

/** `redis-refuses-writes`: Redis wants one replica for a write and has none; reads still answer. */
export const redisRefusesWrites: Fault = {
  name: 'redis-refuses-writes',
  target: 'redis',
  async invoke(ctx, action) {
    const replicas = action === 'start' ? '1' : '0';
    await redisCommand(ctx, (redis) => redis.config('SET', 'min-replicas-to-write', replicas));
    return { minReplicasToWrite: Number(replicas) };
  },
  async teardown(ctx) {
    await this.invoke(ctx, 'stop').catch(() => undefined);
  },
};

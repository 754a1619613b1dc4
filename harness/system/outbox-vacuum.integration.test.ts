// Integration: the reference system's outbox, a queue table, is vacuumed within seconds once a
// thousand of its rows are dead (its migration 003, and the environment's autovacuum_naptime). Under
// PostgreSQL's default threshold — a fifth of the table — these 1,500 dead rows among 20,000 would
// wait for no vacuum at all, and every relay claim walks past their index entries until one comes
// (8.7 ms a claim).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from './testing/stack.ts';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ instances: 1 }); // the system migrates its schema as it starts
});

afterAll(async () => {
  await stack?.stop();
});

/** How many times autovacuum has vacuumed the outbox so far. */
async function outboxVacuums(): Promise<number> {
  const { rows } = await stack.db.query<{ n: number }>(
    "select autovacuum_count::int as n from pg_stat_user_tables where relname = 'outbox_event'",
  );
  return rows[0]?.n ?? 0;
}

describe('outbox vacuum', () => {
  it('1,500 dead rows among 20,000 are vacuumed within 30 s', async () => {
    await stack.db.query(
      `insert into outbox_event (event_id, tenant_id, aggregate_id, aggregate_version, event_type, topic, payload, status, created_at, published_at)
       select gen_random_uuid(), 'vacuum', 'q-' || g, 1, 'QuoteCreated', 'cpq.quote.events', '{}', 'published', now(), now()
       from generate_series(1, 20000) g`,
    );
    // The inserts' own vacuum (PostgreSQL's insert threshold) first: it also counts the table's rows.
    const afterInserts = await eventually(async () => (await outboxVacuums()) || undefined, 30_000);
    expect(afterInserts).toBeGreaterThan(0);
    // Past the threshold (more than 1,000 dead), far under the default one (50 + a fifth of 20,000).
    await stack.db.query(
      "delete from outbox_event where tenant_id = 'vacuum' and substring(aggregate_id from 3)::int between 1001 and 2500",
    );
    const { rows } = await stack.db.query<{ n: number }>(
      "select count(*)::int as n from outbox_event where tenant_id = 'vacuum'",
    );
    expect(rows[0]?.n).toBe(18_500);
    const vacuumed = await eventually(async () => (await outboxVacuums()) > (afterInserts ?? 0), 30_000, 500);
    expect(vacuumed).toBe(true);
  }, 120_000);
});

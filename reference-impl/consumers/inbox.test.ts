// Unit: the inbox applies each event's effect once, with every inbox row and effect of a unit in one
// transaction; a duplicate (redelivered, or twice within one unit) is skipped; an effect that fails
// rolls back the whole unit; the planted bugs change exactly that. PostgreSQL is a fake that records
// the statements and keeps the inbox's rows (committed only at commit).
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { Failpoints } from '../app/failpoints.ts';
import { Metrics } from '../app/metrics.ts';
import type { EventEnvelope } from '../domain/events.ts';
import { applyEachOnce, type Effect, type InboxOptions } from './inbox.ts';

/** A pool of one fake client: statements are recorded; inbox rows become durable at commit. */
function fakePool() {
  const durable = new Set<string>();
  let pending = new Set<string>();
  const log: string[] = [];
  const client = {
    on: () => undefined,
    off: () => undefined,
    release: () => undefined,
    query: async (q: string | { text: string; values?: unknown[] }, values?: unknown[]) => {
      const text = typeof q === 'string' ? q : q.text;
      const params = (typeof q === 'string' ? values : q.values) ?? [];
      const word = text.trim().split(/\s+/).slice(0, 3).join(' ');
      log.push(word);
      if (text === 'begin') pending = new Set();
      if (text === 'commit') for (const id of pending) durable.add(id);
      if (text.startsWith('select 1 from inbox_message'))
        return { rowCount: durable.has(String(params[1])) ? 1 : 0, rows: [] };
      if (text.startsWith('insert into inbox_message')) {
        const id = String(params[1]);
        if (durable.has(id) || pending.has(id)) return { rowCount: 0, rows: [] };
        pending.add(id);
        if (!text.includes('on conflict')) throw new Error('no on conflict');
        return { rowCount: 1, rows: [] };
      }
      return { rowCount: 1, rows: [] };
    },
  };
  const pool = { connect: async () => client, query: client.query } as unknown as pg.Pool;
  return { pool, log, durable };
}

const event = (id: string) => ({ eventId: id, tenantId: 't' }) as EventEnvelope;

function options(pool: pg.Pool, extra: Partial<InboxOptions> = {}): InboxOptions {
  return {
    pool,
    consumer: 'billing',
    metrics: new Metrics('consumers', 'test'),
    failpoints: new Failpoints(),
    dedupe: true,
    ...extra,
  };
}

describe('applyEachOnce', () => {
  it('applies a unit in one transaction, skipping what the inbox already holds and repeats within it', async () => {
    const { pool, log } = fakePool();
    const applied: string[] = [];
    const effect =
      (id: string): Effect =>
      async (client) => {
        applied.push(id);
        await client.query('insert into billing_trigger values ($1)', [id]);
      };
    expect(await applyEachOnce(options(pool), [{ event: event('a'), effect: effect('a') }])).toEqual(['applied']);
    const outcomes = await applyEachOnce(
      options(pool),
      ['a', 'b', 'b', 'c'].map((id) => ({ event: event(id), effect: effect(id) })),
    );
    expect(outcomes).toEqual(['duplicate', 'applied', 'duplicate', 'applied']);
    expect(applied).toEqual(['a', 'b', 'c']);
    expect(log.filter((w) => w === 'begin')).toHaveLength(2);
    expect(log.filter((w) => w === 'commit')).toHaveLength(2);
  });

  it('rolls the whole unit back when one effect fails: nothing of it is recorded', async () => {
    const { pool, log, durable } = fakePool();
    const ok: Effect = async () => undefined;
    const failing: Effect = async () => {
      throw new Error('effect failed');
    };
    await expect(
      applyEachOnce(options(pool), [
        { event: event('a'), effect: ok },
        { event: event('b'), effect: failing },
      ]),
    ).rejects.toThrow('effect failed');
    expect(log.at(-1)).toBe('rollback');
    expect([...durable]).toEqual([]);
  });

  it('planted bugs: no dedupe applies repeats; separate transactions commit effect and inbox row apart', async () => {
    const { pool } = fakePool();
    const applied: string[] = [];
    const effect: Effect = async () => void applied.push('x');
    const items = [
      { event: event('a'), effect },
      { event: event('a'), effect },
    ];
    expect(await applyEachOnce(options(pool, { dedupe: false }), items)).toEqual(['applied', 'applied']);
    const separate = fakePool();
    expect(await applyEachOnce(options(separate.pool, { separateTransactions: true }), items)).toEqual([
      'applied',
      'duplicate',
    ]);
    expect(separate.log.filter((w) => w === 'begin')).toHaveLength(2); // effect, then inbox row
  });
});

// Unit: the inbox applies each event's effect once — the inbox row and the effect one statement, a
// unit's statements one transaction; a duplicate (redelivered, or twice within one unit) is skipped;
// an effect that fails rolls back the whole unit; the planted bugs change exactly that. PostgreSQL is
// a fake that records the statements and keeps inbox rows and effects (durable only at commit).
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { Failpoints } from '../app/failpoints.ts';
import { Metrics } from '../app/metrics.ts';
import type { EventEnvelope } from '../domain/events.ts';
import { applyEachOnce, type Effect, type InboxOptions } from './inbox.ts';

/** A pool of one fake client: statements are recorded; rows become durable at commit. */
function fakePool() {
  const durable = { inbox: new Set<string>(), effects: [] as string[] };
  let pending = { inbox: new Set<string>(), effects: [] as string[] };
  const log: string[] = [];
  const seen = (id: string) => durable.inbox.has(id) || pending.inbox.has(id);
  const client = {
    on: () => undefined,
    off: () => undefined,
    release: () => undefined,
    query: async (q: string | { text: string; values?: unknown[] }, values?: unknown[]) => {
      const text = typeof q === 'string' ? q : q.text;
      const params = ((typeof q === 'string' ? values : q.values) ?? []).map(String);
      log.push(text.startsWith('with inbox') ? 'inbox+effect' : text.trim().split(/\s+/).slice(0, 3).join(' '));
      if (text.includes('failing_table')) throw new Error('effect failed');
      if (text === 'begin') pending = { inbox: new Set(), effects: [] };
      if (text === 'commit') {
        for (const id of pending.inbox) durable.inbox.add(id);
        durable.effects.push(...pending.effects);
      }
      if (text.startsWith('select 1 from inbox_message'))
        return { rowCount: seen(params[1] as string) ? 1 : 0, rows: [] };
      if (text.startsWith('with inbox as')) {
        expect(text).toContain('on conflict do nothing');
        expect(text).toContain('where exists (select from inbox)');
        const [, id, effectValue] = params as [string, string, string];
        if (seen(id)) return { rowCount: 1, rows: [{ fresh: 0 }] };
        pending.inbox.add(id);
        pending.effects.push(effectValue);
        return { rowCount: 1, rows: [{ fresh: 1 }] };
      }
      if (text.startsWith('insert into inbox_message')) {
        const id = params[1] as string;
        if (seen(id)) return { rowCount: 0, rows: [] };
        pending.inbox.add(id);
        return { rowCount: 1, rows: [] };
      }
      if (text.startsWith('insert into effect_table')) {
        expect(text).toContain('where true');
        pending.effects.push(params[0] as string);
      }
      return { rowCount: 1, rows: [] };
    },
  };
  const pool = { connect: async () => client, query: client.query } as unknown as pg.Pool;
  return { pool, log, durable };
}

const event = (id: string) => ({ eventId: id, tenantId: 't' }) as EventEnvelope;
const effect = (id: string, table = 'effect_table'): Effect => ({
  values: [id],
  sql: (p, when) => `insert into ${table} (id) select ${p(1)} where ${when}`,
});
const unit = (...ids: string[]) => ids.map((id) => ({ event: event(id), effect: effect(id) }));

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
  it('applies a unit in one transaction, one statement an event, skipping rows the inbox already holds', async () => {
    const { pool, log, durable } = fakePool();
    expect(await applyEachOnce(options(pool), unit('a'))).toEqual(['applied']);
    expect(await applyEachOnce(options(pool), unit('a', 'b', 'b', 'c'))).toEqual([
      'duplicate',
      'applied',
      'duplicate',
      'applied',
    ]);
    expect(durable.effects).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['begin', 'inbox+effect', 'commit', 'begin', ...Array(4).fill('inbox+effect'), 'commit']);
  });

  it('rolls the whole unit back when one effect fails: nothing of it is recorded', async () => {
    const { pool, log, durable } = fakePool();
    await expect(
      applyEachOnce(options(pool), [...unit('a'), { event: event('b'), effect: effect('b', 'failing_table') }]),
    ).rejects.toThrow('effect failed');
    expect(log.at(-1)).toBe('rollback');
    expect(durable).toEqual({ inbox: new Set(), effects: [] });
  });

  it('planted bugs: no dedupe applies repeats; separate transactions commit effect and inbox row apart', async () => {
    const alone = fakePool();
    expect(await applyEachOnce(options(alone.pool, { dedupe: false }), unit('a', 'a'))).toEqual(['applied', 'applied']);
    expect(alone.durable).toEqual({ inbox: new Set(), effects: ['a', 'a'] });
    const separate = fakePool();
    expect(await applyEachOnce(options(separate.pool, { separateTransactions: true }), unit('a', 'a'))).toEqual([
      'applied',
      'duplicate',
    ]);
    // check, the effect's transaction, then the inbox row's; the repeat stops at the check
    expect(separate.log).toEqual([
      'select 1 from',
      'begin',
      'insert into effect_table',
      'commit',
      'begin',
      'insert into inbox_message',
      'commit',
      'select 1 from',
    ]);
    expect(separate.durable.effects).toEqual(['a']);
  });
});

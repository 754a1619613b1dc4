/**
 * Lock contention in PostgreSQL: another session (a long batch job, a migration, an operator's
 * forgotten transaction) holds a lock on a table of the system's for the fault's window. Taken
 * through the direct URL (the wire stays healthy): commands that write the table wait on the lock,
 * up to the system's statement timeout; reads of other tables go on. Healed by rolling back, which
 * releases the lock at once; the session is closed at teardown in any case.
 */
import pg from 'pg';
import type { Fault } from './fault.ts';

/** `SHARE ROW EXCLUSIVE` on `table`: rows stay readable, nothing can insert, update or delete them. */
export function tableLock(table: string, mode = 'SHARE ROW EXCLUSIVE'): Fault {
  let session: pg.Client | undefined;
  const release = async () => {
    const held = session;
    session = undefined;
    if (!held) return false;
    await held.query('rollback').catch(() => undefined);
    await held.end().catch(() => undefined);
    return true;
  };
  return {
    name: 'postgres-lock-contention',
    target: table,
    async invoke(ctx, action) {
      if (action === 'stop') return { released: await release() };
      await release();
      const client = new pg.Client({
        connectionString: ctx.env.endpoints.services.postgres.directUrl,
        connectionTimeoutMillis: 5000,
        query_timeout: 10_000,
      });
      client.on('error', () => undefined);
      await client.connect();
      session = client;
      await client.query('begin');
      await client.query(`lock table ${pg.escapeIdentifier(table)} in ${mode} mode`);
      return { table, mode };
    },
    teardown: async () => {
      await release();
    },
  };
}

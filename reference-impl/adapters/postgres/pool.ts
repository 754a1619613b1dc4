/**
 * The PostgreSQL connection pool of one process: bounded size, short connect and statement
 * timeouts (a stalled database fails requests instead of hanging them), numeric types as numbers.
 */
import pg from 'pg';

// int8 (bigint) and numeric come back as strings by default; our values fit in a double.
pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1700, (value) => Number(value));

/** How long getting a connection may take before the call fails (ms). */
export const POOL_CONNECT_TIMEOUT_MS = 3000;
/** How long one statement may run before PostgreSQL cancels it (ms; the client gives up 1 s later). */
export const STATEMENT_TIMEOUT_MS = 5000;

export interface PoolOptions {
  url: string;
  max?: number;
  applicationName: string;
  statementTimeoutMs?: number;
}

/** A pool whose idle-client errors are logged instead of crashing the process. */
export function createPool(options: PoolOptions, onError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: POOL_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName,
    statement_timeout: options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS,
    query_timeout: (options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS) + 1000,
  });
  pool.on('error', onError);
  return pool;
}

/** How a transaction treats its client when the connection broke under it. */
export interface TransactionOptions {
  /**
   * Leave a client whose rollback failed (its connection is gone) checked out instead of handing it
   * back for destruction: the pool never gets that slot back.
   */
  leakBroken?: boolean;
}

/**
 * Runs `fn` in a transaction on one client; rolls back on any error. A checked-out client has no
 * pool listener: its connection dying (a database restart) would be an unhandled 'error' event that
 * kills the process, so it gets one of its own, and a broken client is destroyed, not reused.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: Error) => (broken ??= rollbackError));
    throw error;
  } finally {
    client.off('error', onError);
    // planted bug: leak-broken-connections — "the connection is dead anyway": never released
    if (!(options.leakBroken && broken)) client.release(broken ?? false);
  }
}

/**
 * The retry and timeout budgets of the reference system's clients, by name: how long each keeps
 * trying (or waiting) before a call fails. A fault "longer than the budget" outlasts them, so the
 * failure path really runs. Read by the harness as the system's promises; computed from the very
 * settings the adapters use, so the two cannot drift apart.
 */
import { CONSUMER_SESSION_TIMEOUT_MS, PRODUCER_RETRY, retryBudgetMs } from './adapters/kafka/kafka.ts';
import { POOL_CONNECT_TIMEOUT_MS, STATEMENT_TIMEOUT_MS } from './adapters/postgres/pool.ts';
import { REDIS_COMMAND_TIMEOUT_MS } from './adapters/redis/redis-cache.ts';

export const RETRY_BUDGETS_MS: Readonly<Record<string, number>> = {
  /** The relay's producer: every retry of a send, back-off included. */
  'kafka-producer': retryBudgetMs(PRODUCER_RETRY),
  /** A consumer silent this long is expelled from its group. */
  'kafka-session': CONSUMER_SESSION_TIMEOUT_MS,
  /** One Redis call. */
  'redis-command': REDIS_COMMAND_TIMEOUT_MS,
  /** Getting a database connection from a pool. */
  'postgres-connect': POOL_CONNECT_TIMEOUT_MS,
  /** One SQL statement. */
  'postgres-statement': STATEMENT_TIMEOUT_MS,
};

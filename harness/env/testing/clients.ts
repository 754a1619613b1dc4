/**
 * Small helpers for the environment's integration tests: a one-shot PostgreSQL query, a Redis
 * client that fails fast instead of queueing, Kafka produce/consume, and the CLI as a child process.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';

/** Runs one query on a fresh connection; rejects on failure or after `timeoutMs`. */
export async function queryOnce<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  timeoutMs = 5000,
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** An ioredis client that never queues commands while disconnected and gives up quickly. */
export function fastFailRedis(url: string): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 1000,
    retryStrategy: () => 100,
  });
  client.on('error', () => undefined);
  return client;
}

/** A kafkajs client on `brokers` that logs nothing and retries little. */
export function kafkaClient(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'cpqchaos-test', brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
}

/** Produces one message and returns its offset. */
export async function produceOne(brokers: string[], topic: string, key: string, value: string): Promise<string> {
  const producer = kafkaClient(brokers).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const [meta] = await producer.send({ topic, messages: [{ key, value }], acks: -1 });
    return meta?.baseOffset ?? '';
  } finally {
    await producer.disconnect();
  }
}

/** Reads every message of `topic` from the beginning until `predicate` holds (or times out). */
export async function consumeUntil(
  brokers: string[],
  topic: string,
  predicate: (values: string[]) => boolean,
  timeoutMs = 30_000,
): Promise<string[]> {
  const consumer = kafkaClient(brokers).consumer({ groupId: `test-${Math.random().toString(36).slice(2)}` });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no match on ${topic} within ${timeoutMs} ms: ${values.join(',')}`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (predicate(values)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return values;
  } finally {
    await consumer.disconnect();
  }
}

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/cpqchaos.mjs');

/** Result of running the CLI. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `cpqchaos …args` in `cwd` with extra environment variables. */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Configuration of one reference-system process, from environment variables set by
 * `cpqchaos serve` (each component gets its own Toxiproxy paths). A missing or malformed value
 * stops the process at start with a message naming the variable.
 */
import { Bugs } from './app/bugs.ts';

export interface ComponentConfig {
  /** `api`, `relay` or `consumers`. */
  component: string;
  instanceId: string;
  databaseUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
  /** HTTP port (the API, or the ops/metrics port of relay and consumers). */
  port: number;
  bugs: Bugs;
  failpoints: boolean;
  /** `CPQ_CACHE=off` sends every reference-data read to PostgreSQL (benchmarks measure that path). */
  cacheEnabled: boolean;
  logLevel: string;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export function readConfig(component: string, env: NodeJS.ProcessEnv = process.env): ComponentConfig {
  const port = Number(required(env, 'CPQ_PORT'));
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`CPQ_PORT must be a port number, got ${env.CPQ_PORT}`);
  return {
    component,
    instanceId: env.CPQ_INSTANCE_ID ?? `${component}-${process.pid}`,
    databaseUrl: required(env, 'CPQ_DATABASE_URL'),
    redisUrl: env.CPQ_REDIS_URL ?? '',
    kafkaBrokers: required(env, 'CPQ_KAFKA_BROKERS').split(',').filter(Boolean),
    port,
    bugs: Bugs.parse(env.CPQ_BUGS),
    failpoints: env.CPQ_FAILPOINTS === 'on',
    cacheEnabled: env.CPQ_CACHE !== 'off',
    logLevel: env.CPQ_LOG_LEVEL ?? 'info',
  };
}

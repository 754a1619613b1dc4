/**
 * The on-disk record of one environment (`<dir>/manifest.json` and `<dir>/pids/*.json`): who owns
 * it, what each service needs to be reattached, and its endpoints. Written before the first
 * process starts, so an owner that crashes mid-start leaves enough behind to clean up.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EnvironmentEndpoints } from './endpoints.ts';
import type { KafkaInfo } from './kafka.ts';
import type { PostgresInfo } from './postgres.ts';
import { isAlive, readPidFile, type ProcessFiles, type ProcessRecord } from './process.ts';
import type { RedisInfo } from './redis.ts';
import type { ToxiproxyInfo } from './toxiproxy.ts';

/**
 * Who keeps the environment alive: the process that started it, and — for `env up` — the state
 * file that refers to it after that process has exited.
 */
export interface Owner {
  pid: number;
  startTime: number;
  /** Absolute path of `.cpqchaos/env.json` for environments that outlive their starter. */
  stateFile?: string;
}

/** What a container environment needs to be found and removed: its engine, images and containers. */
export interface ContainerRecord {
  /** The engine (`unix:///…` or `tcp://…`). */
  host: string;
  /** The image each service ran from. */
  images: Record<string, string>;
  /** Container id per service, once started. */
  ids?: Record<string, string>;
}

export interface EnvironmentManifest {
  id: string;
  backend: 'native' | 'testcontainers';
  dir: string;
  createdAt: string;
  owner: Owner;
  services: {
    postgres?: PostgresInfo;
    redis?: RedisInfo;
    kafka?: KafkaInfo;
    toxiproxy?: ToxiproxyInfo;
  };
  endpoints?: EnvironmentEndpoints;
  /** For the testcontainers backend. */
  containers?: ContainerRecord;
}

/** The service names, in start order. */
export const SERVICE_NAMES = ['postgres', 'redis', 'kafka', 'toxiproxy'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function manifestPath(dir: string): string {
  return path.join(dir, 'manifest.json');
}

/** Log and pid file of a service inside the environment dir. */
export function serviceFiles(dir: string, service: ServiceName): ProcessFiles {
  return { logFile: path.join(dir, 'logs', `${service}.log`), pidFile: path.join(dir, 'pids', `${service}.json`) };
}

export function writeManifest(manifest: EnvironmentManifest): void {
  const file = manifestPath(manifest.dir);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

export function readManifest(dir: string): EnvironmentManifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(manifestPath(dir), 'utf8')) as EnvironmentManifest;
  } catch {
    return undefined;
  }
}

/** Every process record (current instance) found in the environment's pid files. */
export function processRecords(dir: string): ProcessRecord[] {
  return SERVICE_NAMES.map((name) => readPidFile(serviceFiles(dir, name).pidFile)).filter(
    (record): record is ProcessRecord => record !== undefined,
  );
}

/** Liveness of each service of a recorded environment, by pid file. */
export function serviceLiveness(dir: string): Record<string, { up: boolean; pid?: number }> {
  const records = new Map(processRecords(dir).map((record) => [record.spec.name, record]));
  return Object.fromEntries(
    SERVICE_NAMES.map((name) => {
      const record = records.get(name);
      return [name, record ? { up: isAlive(record), pid: record.pid } : { up: false }];
    }),
  );
}

/** True when every service of a recorded environment is alive. */
export function allUp(dir: string): boolean {
  return Object.values(serviceLiveness(dir)).every((service) => service.up);
}

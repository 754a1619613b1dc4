/**
 * PostgreSQL as a native process: `initdb` into the environment's data dir, `postgres -D … -p PORT
 * -k SOCKDIR` on 127.0.0.1 with pg_stat_statements preloaded, ready when a real query answers.
 * Runs as the `postgres` system user when we are root (the server refuses to run as root).
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import pg from 'pg';
import { InfraError } from '../core/errors.ts';
import { exec } from './exec.ts';
import { NativeService } from './native-service.ts';
import { spawnProcess, type ProcessFiles, type ProcessRecord } from './process.ts';

/**
 * The server settings both backends start PostgreSQL with (`-c name=value`; each backend adds its own
 * listen address). Autovacuum looks at each table every 5 s, not every minute: a queue table such as
 * the reference system's outbox collects dead rows by the thousand each second, and every relay
 * claim walks past them until a vacuum comes (the outbox's own threshold is in its migration 003).
 */
export const SERVER_SETTINGS = [
  'shared_preload_libraries=pg_stat_statements',
  'pg_stat_statements.track=all',
  'max_connections=300',
  'fsync=off',
  'full_page_writes=off',
  'log_min_messages=warning',
  'autovacuum_naptime=5s',
];

/** What a started PostgreSQL needs to be reached and restarted. */
export interface PostgresInfo {
  port: number;
  user: string;
  database: string;
  dataDir: string;
  socketDir: string;
}

export interface PostgresOptions extends ProcessFiles {
  /** The service's own directory (created). */
  dir: string;
  port: number;
  /** Directory holding `postgres` and `initdb`. */
  bin: string;
}

/** `postgres://USER@127.0.0.1:PORT/DB` */
export function postgresUrl(info: Pick<PostgresInfo, 'user' | 'database'>, port: number): string {
  return `postgres://${info.user}@127.0.0.1:${port}/${info.database}`;
}

/** The uid/gid to run the server as: the `postgres` system user when we are root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) {
    throw new InfraError(
      'running as root but there is no `postgres` system user to run the server as',
      "install Debian's postgresql package (it creates the user) or run as a non-root user",
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/** A running PostgreSQL server. */
export class StartedPostgres extends NativeService {
  private constructor(
    record: ProcessRecord,
    readonly info: PostgresInfo,
  ) {
    super(record);
  }

  /** Initialises a fresh cluster, starts it, creates the database and pg_stat_statements. */
  static async start(options: PostgresOptions): Promise<StartedPostgres> {
    const user = serverUser();
    const info: PostgresInfo = {
      port: options.port,
      user: 'cpqchaos',
      database: 'cpqchaos',
      dataDir: path.join(options.dir, 'data'),
      socketDir: path.join(options.dir, 'sock'),
    };
    fs.mkdirSync(info.socketDir, { recursive: true });
    if (user) {
      fs.chownSync(options.dir, user.uid, user.gid);
      fs.chownSync(info.socketDir, user.uid, user.gid);
    }
    await exec(
      path.join(options.bin, 'initdb'),
      ['-D', info.dataDir, '-U', info.user, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...(user ? { user } : {}), remedy: 'see the initdb output above' },
    );
    const record = await spawnProcess({
      name: 'postgres',
      command: path.join(options.bin, 'postgres'),
      args: [
        '-D',
        info.dataDir,
        '-p',
        String(info.port),
        '-k',
        info.socketDir,
        '-c',
        'listen_addresses=127.0.0.1',
        ...SERVER_SETTINGS.flatMap((setting) => ['-c', setting]),
      ],
      cwd: options.dir,
      ...(user ? { user } : {}),
      logFile: options.logFile,
      pidFile: options.pidFile,
      stopSignal: 'SIGINT', // fast shutdown; SIGTERM would wait for every client to leave
    });
    const server = new StartedPostgres(record, info);
    await server.waitUntilReady();
    await server.createDatabase();
    return server;
  }

  /** Rebuilds the handle of a server started earlier (from the manifest). */
  static attach(record: ProcessRecord, info: PostgresInfo): StartedPostgres {
    return new StartedPostgres(record, info);
  }

  /** Direct URL (bypasses Toxiproxy). */
  get directUrl(): string {
    return postgresUrl(this.info, this.info.port);
  }

  protected override async probe(): Promise<void> {
    await this.query('postgres', 'select 1');
  }

  private async createDatabase(): Promise<void> {
    await this.query('postgres', `create database ${this.info.database}`);
    await this.query(this.info.database, 'create extension if not exists pg_stat_statements');
  }

  private async query(database: string, sql: string): Promise<void> {
    await runStatement(postgresUrl({ user: this.info.user, database }, this.info.port), sql);
  }
}

/** Runs one statement on a connection of its own (1 s to connect), closed afterwards. */
export async function runStatement(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

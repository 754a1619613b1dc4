/**
 * Redis as a native process on its own port and dir, persistence off by default (a kill loses
 * everything, as a cache may) or with RDB snapshots; ready on PING.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NativeService } from './native-service.ts';
import { spawnProcess, type ProcessFiles, type ProcessRecord } from './process.ts';
import { respCommand } from './resp.ts';

/** `off`: nothing survives a restart. `rdb`: snapshots to `dump.rdb` (loaded again at start). */
export type RedisPersistence = 'off' | 'rdb';

export interface RedisInfo {
  port: number;
  dataDir: string;
  persistence: RedisPersistence;
}

export interface RedisOptions extends ProcessFiles {
  dir: string;
  port: number;
  redisServer: string;
  persistence?: RedisPersistence;
}

/** A running Redis server. */
export class StartedRedis extends NativeService {
  private constructor(
    record: ProcessRecord,
    readonly info: RedisInfo,
  ) {
    super(record);
  }

  static async start(options: RedisOptions): Promise<StartedRedis> {
    const info: RedisInfo = { port: options.port, dataDir: options.dir, persistence: options.persistence ?? 'off' };
    fs.mkdirSync(info.dataDir, { recursive: true });
    const record = await spawnProcess({
      name: 'redis',
      command: options.redisServer,
      args: [
        '--port',
        String(info.port),
        '--bind',
        '127.0.0.1',
        '--protected-mode',
        'no',
        '--daemonize',
        'no',
        '--dir',
        info.dataDir,
        '--dbfilename',
        'dump.rdb',
        '--appendonly',
        'no',
        '--save',
        info.persistence === 'rdb' ? '1 1' : '',
        '--loglevel',
        'warning',
      ],
      cwd: info.dataDir,
      logFile: options.logFile,
      pidFile: options.pidFile,
      stopSignal: 'SIGTERM',
    });
    const server = new StartedRedis(record, info);
    await server.waitUntilReady();
    return server;
  }

  static attach(record: ProcessRecord, info: RedisInfo): StartedRedis {
    return new StartedRedis(record, info);
  }

  /** `redis://127.0.0.1:PORT` (direct, bypasses Toxiproxy). */
  get directUrl(): string {
    return `redis://127.0.0.1:${this.info.port}`;
  }

  /** Path of the RDB file Redis loads at start and writes on SAVE. */
  get snapshotFile(): string {
    return path.join(this.info.dataDir, 'dump.rdb');
  }

  async copySnapshotTo(file: string): Promise<void> {
    fs.copyFileSync(this.snapshotFile, file);
  }

  async restartFromSnapshot(file: string): Promise<void> {
    await this.kill();
    fs.copyFileSync(file, this.snapshotFile);
    await this.start();
  }

  async dropSnapshot(): Promise<void> {
    fs.rmSync(this.snapshotFile, { force: true });
  }

  protected override async probe(): Promise<void> {
    const reply = await respCommand(this.info.port, 'PING');
    if (reply !== '+PONG') throw new Error(`PING answered ${reply}`);
  }
}

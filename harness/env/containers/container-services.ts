/**
 * The running container environment and the service handles faults use on it: Redis whose snapshot
 * is copied out of and into its container (Docker's archive API, through `tar`), Toxiproxy's API, and
 * the environment itself — stopped by removing every container and network it labelled.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { Toxiproxy } from 'toxiproxy-node-client';
import type { EnvironmentEndpoints } from '../endpoints.ts';
import type { Environment, EnvService, RedisService, StartTimings, ToxiproxyService } from '../environment-types.ts';
import { release } from '../shutdown-guard.ts';
import type { Watchdog } from '../watchdog.ts';
import type { ContainerService } from './container-service.ts';
import { removeEnvironmentContainers } from './docker-client.ts';
import { REDIS_SNAPSHOT } from './service-containers.ts';

/** Runs `tar args` with `input` on stdin (if any); resolves with stdout. */
function tar(args: string[], input?: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`tar exited ${code}`))));
    if (input && child.stdin) input.pipe(child.stdin);
  });
}

/** Redis in a container: the RDB snapshot moved with Docker's archive API. */
export class ContainerRedis implements RedisService {
  constructor(private readonly service: ContainerService) {}

  get name() {
    return this.service.name;
  }
  get record() {
    return this.service.record;
  }
  get directUrl(): string {
    return this.service.directUrl ?? '';
  }
  isRunning = () => this.service.isRunning();
  isPaused = () => this.service.isPaused();
  kill = () => this.service.kill();
  start = () => this.service.start();
  stop = (options?: { graceMs?: number }) => this.service.stop(options);
  restart = (options?: { hard?: boolean }) => this.service.restart(options);
  pause = () => this.service.pause();
  resume = () => this.service.resume();

  async copySnapshotTo(file: string): Promise<void> {
    const archive = await this.service.container.getArchive({ path: REDIS_SNAPSHOT });
    fs.writeFileSync(file, await tar(['-x', '-O'], archive));
  }

  async restartFromSnapshot(file: string): Promise<void> {
    await this.service.kill();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-rdb-'));
    try {
      fs.copyFileSync(file, path.join(dir, path.basename(REDIS_SNAPSHOT)));
      const archive = await tar(['-C', dir, '-c', path.basename(REDIS_SNAPSHOT)]);
      await this.service.container.putArchive(archive, { path: path.dirname(REDIS_SNAPSHOT) });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await this.service.start();
  }

  async dropSnapshot(): Promise<void> {
    if (!this.service.isRunning()) return;
    const exec = await this.service.container.exec({ Cmd: ['rm', '-f', REDIS_SNAPSHOT] });
    await exec.start({});
  }
}

/** Toxiproxy's API, published on this machine. */
export class ContainerToxiproxy implements ToxiproxyService {
  constructor(readonly url: string) {}
  client(): Toxiproxy {
    return new Toxiproxy(this.url);
  }
}

/** A running container environment. */
export class ContainerEnvironment implements Environment {
  watchdog?: Watchdog;
  timings: StartTimings = { provision: 0, postgres: 0, redis: 0, kafka: 0, toxiproxy: 0, proxies: 0, total: 0 };
  private stopped = false;

  constructor(
    readonly endpoints: EnvironmentEndpoints,
    private readonly docker: Docker,
    private readonly handles: {
      postgres: ContainerService;
      redis: ContainerRedis;
      kafka: ContainerService;
      toxiproxy: ContainerToxiproxy;
      services: ContainerService[];
    },
  ) {}

  get postgres(): EnvService {
    return this.handles.postgres;
  }
  get redis(): RedisService {
    return this.handles.redis;
  }
  get kafka(): EnvService {
    return this.handles.kafka;
  }
  get toxiproxy(): ToxiproxyService {
    return this.handles.toxiproxy;
  }
  get id(): string {
    return this.endpoints.id;
  }
  get dir(): string {
    return this.endpoints.dir;
  }

  services(): EnvService[] {
    return [this.handles.postgres, this.handles.redis, this.handles.kafka];
  }

  /** Container id per service (for the manifest). */
  containerIds(): Record<string, string> {
    return Object.fromEntries(this.handles.services.map((s) => [s.name, s.id]));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.watchdog?.release();
    for (const service of this.handles.services) service.release();
    try {
      await removeEnvironmentContainers(this.docker, this.id);
      fs.rmSync(this.dir, { recursive: true, force: true });
    } finally {
      release(this);
    }
  }

  /** Best effort at exit (no event loop left): the engine's CLI, if there is one; the watchdog does the rest. */
  killSync(): void {
    const host = this.handles.postgres.host;
    spawnSync(
      'sh',
      ['-c', `docker -H ${host} rm -f $(docker -H ${host} ps -aq --filter label=cpqchaos.env=${this.id})`],
      {
        stdio: 'ignore',
        timeout: 10_000,
      },
    );
  }

  detach(): void {
    this.watchdog?.release();
    release(this);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

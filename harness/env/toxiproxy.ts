/**
 * toxiproxy-server as a native process (built by `go install` at a pinned version), ready on
 * GET /version, plus creation of the environment's proxies. Toxiproxy's own randomness (toxicity)
 * is never relied on: the harness decides every fault itself.
 */
import fs from 'node:fs';
import { Toxiproxy } from 'toxiproxy-node-client';
import { InfraError, messageOf } from '../core/errors.ts';
import { NativeService } from './native-service.ts';
import { spawnProcess, type ProcessFiles, type ProcessRecord } from './process.ts';

export interface ToxiproxyInfo {
  port: number;
}

/**
 * A proxy to create: listen on `listenHost`:`listenPort`, forward to `upstreamHost`:`upstreamPort`
 * (both hosts 127.0.0.1 unless given: a proxy in a container listens on 0.0.0.0 and forwards to a
 * service's network alias).
 */
export interface ProxySpec {
  name: string;
  listenPort: number;
  upstreamPort: number;
  listenHost?: string;
  upstreamHost?: string;
}

/** Creates (or replaces) all `proxies` on the Toxiproxy at `url` in one request, enabled. */
export async function createProxies(url: string, proxies: readonly ProxySpec[]): Promise<void> {
  try {
    await new Toxiproxy(url).populate(
      proxies.map((proxy) => ({
        name: proxy.name,
        listen: `${proxy.listenHost ?? '127.0.0.1'}:${proxy.listenPort}`,
        upstream: `${proxy.upstreamHost ?? '127.0.0.1'}:${proxy.upstreamPort}`,
        enabled: true,
      })),
    );
  } catch (error) {
    throw new InfraError(
      `could not create Toxiproxy proxies: ${messageOf(error)}`,
      'a listen port may have been taken; run again',
    );
  }
}

export interface ToxiproxyOptions extends ProcessFiles {
  dir: string;
  port: number;
  binary: string;
}

/** A running toxiproxy-server. */
export class StartedToxiproxy extends NativeService {
  private constructor(
    record: ProcessRecord,
    readonly info: ToxiproxyInfo,
  ) {
    super(record);
  }

  static async start(options: ToxiproxyOptions): Promise<StartedToxiproxy> {
    fs.mkdirSync(options.dir, { recursive: true });
    const record = await spawnProcess({
      name: 'toxiproxy',
      command: options.binary,
      args: ['-host', '127.0.0.1', '-port', String(options.port)],
      cwd: options.dir,
      // One scheduler thread: every chunk a proxy moves passes a chain of goroutines, and with two a
      // handoff woke an OS thread each time.
      env: { LOG_LEVEL: 'warn', GOMAXPROCS: '1' },
      logFile: options.logFile,
      pidFile: options.pidFile,
      stopSignal: 'SIGTERM',
    });
    const server = new StartedToxiproxy(record, { port: options.port });
    await server.waitUntilReady();
    return server;
  }

  static attach(record: ProcessRecord, info: ToxiproxyInfo): StartedToxiproxy {
    return new StartedToxiproxy(record, info);
  }

  /** `http://127.0.0.1:PORT` — the Toxiproxy HTTP API. */
  get url(): string {
    return `http://127.0.0.1:${this.info.port}`;
  }

  /** A toxiproxy-node-client bound to this server. */
  client(): Toxiproxy {
    return new Toxiproxy(this.url);
  }

  /** Creates (or replaces) all `proxies` in one request, enabled. */
  async createProxies(proxies: readonly ProxySpec[]): Promise<void> {
    await createProxies(this.url, proxies);
  }

  protected override async probe(): Promise<void> {
    const response = await fetch(`${this.url}/version`, { signal: AbortSignal.timeout(1000) });
    if (!response.ok) throw new Error(`GET /version answered ${response.status}`);
  }
}

/**
 * The Docker engine the testcontainers backend talks to. The user's own engine when one is
 * reachable (`DOCKER_HOST`, or `/var/run/docker.sock`) — never touched beyond the containers this
 * harness labels. Otherwise, when this process is root on Debian, a private engine: Debian's
 * `docker.io` installed once, and a `dockerd` of our own (its socket, data root and exec root under
 * the cache) started detached so later runs share it; `stopPrivateEngine` (`env
 * down --all`) or its idle reaper (engine-reaper-main.ts) stops it. Anything else is an `InfraError` naming the way out.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { InfraError } from '../../core/errors.ts';
import { which } from '../exec.ts';
import { cacheDir, PACKAGE_ROOT } from '../paths.ts';
import { aptInstall } from '../provision/debian.ts';
import { withFileLock } from '../provision/lock.ts';

/** An engine: where its API socket is, and whether it is the private one this harness runs. */
export interface DockerEngine {
  /** `unix:///…/docker.sock` (or whatever `DOCKER_HOST` said). */
  host: string;
  /** The private engine (started here), not the user's. */
  private: boolean;
}

/** Answers `GET /_ping` on a unix socket within `timeoutMs`? */
export function pingSocket(socketPath: string, timeoutMs = 2000): Promise<boolean> {
  return ping({ socketPath }, timeoutMs);
}

/** Answers `GET /_ping` at `host` (`unix:///path` or `tcp://host:port`) within `timeoutMs`? */
export function pingEngine(host: string, timeoutMs = 2000): Promise<boolean> {
  const socketPath = socketOf(host);
  if (socketPath) return fs.existsSync(socketPath) ? ping({ socketPath }, timeoutMs) : Promise.resolve(false);
  try {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return ping({ host: url.hostname, port: Number(url.port || 2375) }, timeoutMs);
  } catch {
    return Promise.resolve(false);
  }
}

function ping(target: http.RequestOptions, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ ...target, path: '/_ping', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

const socketOf = (host: string) => (host.startsWith('unix://') ? host.slice('unix://'.length) : undefined);

/** The engine the user points at: `DOCKER_HOST` (unless it is our private one), else the default socket. */
function userEngineHost(): { host: string; explicit: boolean } | undefined {
  const host = process.env.DOCKER_HOST;
  if (!host) return { host: 'unix:///var/run/docker.sock', explicit: false };
  return socketOf(host) === privateSocket() ? undefined : { host, explicit: true };
}

/** The user's engine when it answers (`DOCKER_HOST` first, then the default socket); never the private one. */
export async function userEngine(): Promise<DockerEngine | undefined> {
  const wanted = userEngineHost();
  return wanted && (await pingEngine(wanted.host)) ? { host: wanted.host, private: false } : undefined;
}

/** Where the private engine keeps its state (`<cache>/docker`). */
export function privateEngineDir(): string {
  return path.join(cacheDir(), 'docker');
}

/**
 * Sockets must fit in 108 bytes, so the private engine's socket and exec root live under `/run`,
 * named by a hash of the cache dir (one engine per cache).
 */
function runDir(): string {
  const hash = crypto.createHash('sha256').update(privateEngineDir()).digest('hex').slice(0, 10);
  return path.join(os.userInfo().uid === 0 ? '/run' : os.tmpdir(), `cpqchaos-docker-${hash}`);
}

/** The private engine's API socket. */
export function privateSocket(): string {
  return path.join(runDir(), 'docker.sock');
}

const pidFile = () => path.join(runDir(), 'dockerd.pid');
const reaperPidFile = () => path.join(runDir(), 'reaper.pid');
const leaseFile = () => path.join(runDir(), 'last-used');
const REAPER_MAIN = path.join(PACKAGE_ROOT, 'harness/env/containers/engine-reaper-main.ts');

/** How long the private engine may sit idle before its reaper stops it (CPQCHAOS_DOCKER_IDLE_MINUTES, default 15). */
export function idleWindowMs(): number {
  const minutes = Number(process.env.CPQCHAOS_DOCKER_IDLE_MINUTES ?? 15);
  return (Number.isFinite(minutes) && minutes > 0 ? minutes : 15) * 60_000;
}

/** Marks the private engine as used now (its reaper counts idle time from the latest use). */
export function touchEngineLease(): void {
  try {
    const now = new Date();
    fs.utimesSync(leaseFile(), now, now);
  } catch {
    try {
      fs.writeFileSync(leaseFile(), '');
    } catch {
      // no private engine dir: nothing to mark
    }
  }
}

/** Starts the reaper that stops the private engine `dockerdPid` once it has been idle for the window. */
function startReaper(dockerdPid: number): void {
  touchEngineLease();
  const log = fs.openSync(path.join(privateEngineDir(), 'logs', 'reaper.log'), 'a');
  const reaper = spawn(
    process.execPath,
    ['--import', 'tsx', REAPER_MAIN, privateSocket(), String(dockerdPid), leaseFile(), String(idleWindowMs())],
    { cwd: PACKAGE_ROOT, detached: true, stdio: ['ignore', log, log] },
  );
  reaper.unref();
  fs.closeSync(log);
  if (reaper.pid) fs.writeFileSync(reaperPidFile(), String(reaper.pid));
}

function readPid(file = pidFile()): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** The private engine when it runs and answers. */
export async function runningPrivateEngine(): Promise<DockerEngine | undefined> {
  if (readPid() === undefined || !(await pingSocket(privateSocket()))) return undefined;
  touchEngineLease();
  return { host: `unix://${privateSocket()}`, private: true };
}

/** Installs Debian's docker.io when `dockerd` is missing (root on Debian), or says what to do. */
async function ensureDockerd(): Promise<string> {
  const found = (await which('dockerd')) ?? (fs.existsSync('/usr/sbin/dockerd') ? '/usr/sbin/dockerd' : undefined);
  if (found) return found;
  if (os.userInfo().uid !== 0 || !(await which('apt-get')))
    throw new InfraError(
      '--backend testcontainers: no Docker engine is reachable and none can be started here (not root on Debian)',
      'start Docker and set DOCKER_HOST, or use --backend native',
    );
  await withFileLock(path.join(cacheDir(), 'locks', 'apt.lock'), () => aptInstall(['docker.io']));
  return '/usr/sbin/dockerd';
}

/** Starts the private engine, detached (it outlives this process); resolves once it answers. */
async function startPrivateEngine(dockerd: string): Promise<DockerEngine> {
  const dir = privateEngineDir();
  for (const sub of ['data', 'logs']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  fs.mkdirSync(path.join(runDir(), 'exec'), { recursive: true });
  const log = fs.openSync(path.join(dir, 'logs', 'dockerd.log'), 'a');
  const child = spawn(
    dockerd,
    [
      '--host',
      `unix://${privateSocket()}`,
      '--data-root',
      path.join(dir, 'data'),
      '--exec-root',
      path.join(runDir(), 'exec'),
      '--pidfile',
      pidFile(),
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  child.unref();
  fs.closeSync(log);
  for (let waited = 0; waited < 30_000; waited += 250) {
    if (await pingSocket(privateSocket(), 1000)) {
      startReaper(child.pid ?? 0);
      return { host: `unix://${privateSocket()}`, private: true };
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const tail = fs
    .readFileSync(path.join(dir, 'logs', 'dockerd.log'), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(-5);
  throw new InfraError(
    `the private Docker engine did not start:\n${tail.join('\n')}`,
    `see ${path.join(dir, 'logs', 'dockerd.log')}, or use --backend native`,
  );
}

/**
 * The engine to use: the user's when reachable, else the private one (started or provisioned and
 * started now). `onProgress` says what takes time.
 */
export async function ensureEngine(onProgress: (line: string) => void = () => undefined): Promise<DockerEngine> {
  const user = await userEngine();
  if (user) return user;
  const wanted = userEngineHost();
  if (wanted?.explicit)
    throw new InfraError(
      `--backend testcontainers: the Docker engine at DOCKER_HOST=${wanted.host} does not answer`,
      'start it, unset DOCKER_HOST (a private engine is started where root on Debian), or use --backend native',
    );
  const running = await runningPrivateEngine();
  if (running) return running;
  return withFileLock(path.join(cacheDir(), 'locks', 'dockerd.lock'), async () => {
    const again = await runningPrivateEngine();
    if (again) return again;
    onProgress('starting a private Docker engine (installing docker.io the first time)');
    return startPrivateEngine(await ensureDockerd());
  });
}

/** Stops the private engine if it runs (its containers die with it); true when it did. */
export async function stopPrivateEngine(): Promise<boolean> {
  const reaper = readPid(reaperPidFile());
  if (reaper !== undefined) process.kill(reaper, 'SIGTERM');
  const pid = readPid();
  if (pid === undefined) return false;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 20_000; waited += 200) {
    if (readPid() === undefined) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.kill(pid, 'SIGKILL');
  return true;
}

/**
 * Points testcontainers (and the docker CLI, for whoever runs it from here) at `engine`; Ryuk's image
 * cannot be pulled everywhere, so it is off — this harness labels and removes its own containers.
 * Published ports are reached at 127.0.0.1.
 */
export function useEngine(engine: DockerEngine): void {
  process.env.DOCKER_HOST = engine.host;
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  // Ports are published on 127.0.0.1 only; "localhost" may resolve to ::1 first.
  if (!engine.host.startsWith('tcp://')) process.env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
}

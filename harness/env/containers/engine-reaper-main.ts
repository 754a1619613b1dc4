/**
 * The private Docker engine's idle reaper: a detached process started with the engine. Every 30 s
 * it asks the engine how many containers exist (every container on the private engine is this
 * harness's); while any does, the engine is busy. When none has existed and no command has used the
 * engine (the lease file's time, touched on every use and during image builds) for the idle window,
 * it stops the engine and exits. It exits on its own when the engine is gone.
 *
 * Usage: engine-reaper-main.ts <socket> <dockerd pid> <lease file> <idle ms>
 */
import fs from 'node:fs';
import http from 'node:http';

const [socketPath = '', pidText, leaseFile = '', idleText] = process.argv.slice(2);
const dockerdPid = Number(pidText);
const idleMs = Number(idleText);
const CHECK_MS = 30_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** How many containers the engine has (running or not); undefined when it does not answer. */
function containerCount(): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: '/containers/json?all=1', timeout: 5000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        try {
          resolve((JSON.parse(body) as unknown[]).length);
        } catch {
          resolve(undefined);
        }
      });
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

const leaseTime = () => {
  try {
    return fs.statSync(leaseFile).mtimeMs;
  } catch {
    return 0;
  }
};

let lastBusy = Date.now();
async function check(): Promise<void> {
  if (!alive(dockerdPid)) process.exit(0);
  const count = await containerCount();
  if (count === undefined || count > 0) lastBusy = Date.now();
  const idleFor = Date.now() - Math.max(lastBusy, leaseTime());
  if (idleFor < idleMs) return;
  process.stdout.write(`${new Date().toISOString()} engine idle for ${Math.round(idleFor / 1000)} s: stopping it\n`);
  process.kill(dockerdPid, 'SIGTERM');
  for (let waited = 0; waited < 20_000 && alive(dockerdPid); waited += 200)
    await new Promise((resolve) => setTimeout(resolve, 200));
  if (alive(dockerdPid)) process.kill(dockerdPid, 'SIGKILL');
  process.exit(0);
}

setInterval(() => void check(), CHECK_MS);

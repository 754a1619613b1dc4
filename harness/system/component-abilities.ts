/**
 * What every component of a system under test does the same way, process or container: failpoints
 * armed and disarmed over its loopback admin route (`PUT|DELETE /admin/failpoints/{name}`), its
 * readiness probe (`GET /healthz`), and its wall clock moved through the file libfaketime reads.
 */
import fs from 'node:fs';
import type { FailpointSpec } from '../env/abilities.ts';

/**
 * The longest a process may take to see a new clock offset: libfaketime re-reads its file each
 * second and Node's `Date` header is renewed each second (seen: up to 2.2 s back to real time).
 */
const CLOCK_PICKUP_MS = 5000;

/** The reference route of a component at `url`: `PUT|DELETE {url}/admin/failpoints/{name}`. */
export const defaultFailpointAdmin = (url: string) => `${url}/admin/failpoints/{name}`;

/** Arms (`PUT`, the spec as JSON) or disarms (`DELETE`) `failpoint` at `admin` (`{name}` replaced). */
export async function failpointAdmin(
  admin: string,
  component: string,
  method: 'PUT' | 'DELETE',
  failpoint: string,
  body?: FailpointSpec,
): Promise<void> {
  const response = await fetch(admin.replaceAll('{name}', encodeURIComponent(failpoint)), {
    method,
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok)
    throw new Error(`${method} failpoint ${failpoint} on ${component}: ${response.status} ${await response.text()}`);
}

/** Resolves once `GET url/healthz` answers 200. */
export async function healthProbe(url: string): Promise<void> {
  const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`GET /healthz answered ${response.status}: ${await response.text()}`);
}

/**
 * Writes a clock offset (whole seconds) where libfaketime reads it, and resolves once the process
 * at `url` answers with it: the `Date` header of its `/healthz` within 1.5 s of real time plus the
 * offset (jumps are minutes, so the old clock cannot pass for the new). A process that does not
 * answer (killed, frozen) reads the file when it runs again: that is no error. Returns the offset set.
 */
export async function writeClockOffset(file: string, offsetMs: number, url: string): Promise<number> {
  const seconds = Math.round(offsetMs / 1000);
  fs.writeFileSync(file, `${seconds >= 0 ? '+' : ''}${seconds}\n`);
  return awaitClockOffset(url, seconds);
}

/**
 * Resolves (with the offset in ms) once the process at `url` answers with a clock `seconds` from
 * real time, by the `Date` header of its `/healthz` (within 1.5 s); a process that does not answer
 * is no error. However the offset was set: a file libfaketime reads, or a command of the system's.
 */
export async function awaitClockOffset(url: string, seconds: number): Promise<number> {
  const deadline = performance.now() + CLOCK_PICKUP_MS;
  let seen = NaN;
  while (performance.now() < deadline) {
    seen = await clockOffsetAt(url).catch(() => NaN);
    if (Number.isNaN(seen) || Math.abs(seen - seconds * 1000) < 1500) return seconds * 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${url} did not take the clock offset ${seconds} s within ${CLOCK_PICKUP_MS} ms (its clock: ${Math.round(seen / 1000)} s from real time)`,
  );
}

/** How far the clock of the process at `url` is from this one's (ms), from its `Date` header (whole seconds: ±1 s). */
async function clockOffsetAt(url: string): Promise<number> {
  const before = Date.now();
  const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return Date.parse(response.headers.get('date') ?? '') + 500 - (before + Date.now()) / 2;
}

/** The environment that preloads `faketimeLib`, reading the wall-clock offset from `file` ("+0" now). */
export function movableClockEnv(faketimeLib: string, file: string): Record<string, string> {
  fs.writeFileSync(file, '+0\n');
  return {
    LD_PRELOAD: faketimeLib,
    FAKETIME_TIMESTAMP_FILE: file,
    FAKETIME_CACHE_DURATION: '1',
    // Only the wall clock moves, as a real clock step moves it; timers and elapsed time do not.
    DONT_FAKE_MONOTONIC: '1',
  };
}

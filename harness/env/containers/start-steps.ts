/**
 * Small steps of a container environment's start: waiting for every service's start at once,
 * a wait strategy that is ready when a call from this machine answers, and the log tails a failed
 * start prints.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WaitStrategy } from 'testcontainers';

/** The last lines of every service's log (what a failed start prints before its logs go). */
export function logTails(logDir: string): string {
  if (!fs.existsSync(logDir)) return '';
  return fs
    .readdirSync(logDir)
    .map((file) => {
      const lines = fs.readFileSync(path.join(logDir, file), 'utf8').trimEnd().split('\n').slice(-8);
      return lines.join('') ? `--- ${file}\n${lines.join('\n')}\n` : '';
    })
    .join('');
}

/** Retries `call` every 100 ms until it resolves, or rejects with its last error after `ms`. */
async function untilAnswered(call: () => Promise<unknown>, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  for (;;) {
    try {
      await call();
      return;
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Waits for every start, then gives their results in order; when one fails, the first failure is
 * thrown only after the others have settled, so no container starts after the cleanup removed the
 * environment's containers.
 */
export async function allStarted<T extends readonly unknown[]>(starts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * Ready when `probe` (a client call from this machine, e.g. Kafka's metadata) answers. Kafka logs
 * nothing at WARN when it starts, and testcontainers' listening-port check execs a shell in the
 * container over and over: the probe is both the truer sign and the quicker one.
 */
export class ProbeWait implements WaitStrategy {
  private timeoutMs = 60_000;
  private timeoutSet = false;

  constructor(private readonly probe: () => Promise<unknown>) {}

  waitUntilReady(): Promise<void> {
    return untilAnswered(this.probe, this.timeoutMs);
  }

  withStartupTimeout(ms: number): this {
    this.timeoutMs = ms;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }

  getStartupTimeout(): number {
    return this.timeoutMs;
  }
}

/**
 * Explicit readiness: poll a real probe (a query, a PING, a metadata request) until it answers, and
 * fail fast — with the log tail and a port-clash diagnosis — when the process dies first.
 */
import { InfraError } from '../core/errors.ts';
import { isAlive, logTail, type ProcessRecord } from './process.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Port clashes as the services word them in their logs. */
const PORT_CLASH = /address already in use|could not bind|EADDRINUSE|bind: Address/i;

/**
 * Resolves when `probe` succeeds; rejects with an `InfraError` carrying the log tail when the
 * process exits or `timeoutMs` passes, and at once when `signal` aborts (an interrupted start).
 */
export async function waitReady(
  record: ProcessRecord,
  probe: () => Promise<void>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (signal?.aborted) throw new InfraError(`${record.spec.name}: start interrupted`);
    if (!isAlive(record)) throw startFailure(record, 'exited during start');
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? lastError.message : String(lastError);
      throw startFailure(record, `not ready after ${timeoutMs} ms (${why})`);
    }
    await sleep(100);
  }
}

/** A service could not bind a port it was given (someone else took it). */
export class PortClashError extends InfraError {}

function startFailure(record: ProcessRecord, what: string): InfraError {
  const tail = logTail(record.spec.logFile);
  if (PORT_CLASH.test(tail)) {
    return new PortClashError(
      `${record.spec.name} ${what}: a port it needs is already in use`,
      'another process took the port between allocation and bind; run the command again (ports are chosen afresh)',
    );
  }
  return new InfraError(`${record.spec.name} ${what}; log ${record.spec.logFile}:\n${tail}`, undefined);
}

/**
 * Process lifecycle shared by the reference system's components: JSON logs with component and
 * instance, graceful stop on SIGTERM/SIGINT, and exit when the parent (`cpqchaos serve`) is gone,
 * so a killed supervisor never leaves components behind.
 */
import pino, { type Logger } from 'pino';

export function createLogger(component: string, instanceId: string, level: string): Logger {
  return pino({ level, base: { component, instance: instanceId, pid: process.pid } });
}

/** Runs `stop` on SIGTERM/SIGINT or when the parent process dies, then exits. */
export function onShutdown(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'stopping');
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    void stop()
      .catch((error: unknown) => log.error({ err: error }, 'error while stopping'))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('parent exited');
  }, 1000).unref();
}

/** Logs a fatal start-up error in one line and exits 1. */
export function failStart(component: string, error: unknown): never {
  process.stderr.write(`${component}: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

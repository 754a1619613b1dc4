/**
 * Makes sure environments started by this process die with it: on SIGINT, SIGTERM or SIGHUP every
 * guarded environment is stopped before the process exits; on any other exit their process groups
 * are SIGKILLed synchronously. Environments that must outlive the process (`env up`) are released.
 */

/** What the guard needs from an environment. */
export interface Guarded {
  /** Graceful but quick teardown. */
  stop(): Promise<void>;
  /** Last resort on exit: SIGKILL every process group, synchronously. */
  killSync(): void;
}

const guarded = new Set<Guarded>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
let installed = false;
let stopping: Promise<void> | undefined;

function onSignal(signal: NodeJS.Signals): void {
  // Leave the exit to others (e.g. a run that writes its partial report) when they listen too;
  // decided now, since stopping releases the environments and with them this listener.
  const othersListen = process.listeners(signal).some((listener) => listener !== onSignal);
  stopping ??= Promise.allSettled([...guarded].map((env) => env.stop())).then(() => undefined);
  void stopping.then(() => {
    if (!othersListen) process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 0));
  });
}

function onExit(): void {
  for (const env of guarded) env.killSync();
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off('exit', onExit);
}

/** Tears `env` down if this process is interrupted or exits. */
export function guard(env: Guarded): void {
  guarded.add(env);
  install();
}

/** Stops guarding `env` (it was stopped, or must outlive this process). */
export function release(env: Guarded): void {
  guarded.delete(env);
  if (guarded.size === 0) uninstall();
}

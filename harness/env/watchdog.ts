/**
 * A watchdog: a small detached process that makes what its owner started die with the owner, even
 * when the owner is killed with SIGKILL (a CI job timeout does exactly that). The owner holds the
 * write end of a pipe on the watchdog's stdin; the kernel closes it however the owner dies, and on
 * that end-of-file the watchdog carries out its plan: resume paused processes, reset Toxiproxy
 * (every proxy enabled, every toxic removed — the faults on the wire healed), stop the recorded
 * process groups, remove the data dirs. A normal stop `release`s it first; it then exits quietly.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import { readPidFile, type ProcessRecord } from './process.ts';
import { PACKAGE_ROOT as ROOT } from './paths.ts';

const MAIN = path.join(ROOT, 'harness/env/watchdog-main.ts');

/** What to do when the owner dies. */
export interface WatchdogPlan {
  /** What it guards, for its log line (e.g. `environment env-…`). */
  label: string;
  /** Directories of pid files whose processes are resumed (SIGCONT) and left running. */
  resume?: string[];
  /** Toxiproxy to reset. */
  toxiproxyUrl?: string;
  /** Directories of pid files whose process groups are stopped. */
  stop?: string[];
  /** Directories removed once everything stopped. */
  remove?: string[];
  /** Containers and networks of environment `env` on the engine at `host`: removed (or, with `thaw`, only unpaused). */
  containers?: { host: string; env: string; role?: string; thaw?: boolean };
  /** Where the watchdog writes what it did. */
  logFile: string;
}

/** A running watchdog, released by a normal stop. */
export interface Watchdog {
  readonly pid: number;
  /** Tells the watchdog the owner stopped everything itself: it exits without acting. */
  release(): void;
}

/** Every process record in a pid directory (files `*.json` written by `spawnProcess`). */
export function recordsIn(pidDir: string): ProcessRecord[] {
  let files: string[];
  try {
    files = fs.readdirSync(pidDir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((f) => readPidFile(path.join(pidDir, f))).filter((r): r is ProcessRecord => r !== undefined);
}

/** Starts a watchdog for this process with `plan`. */
export function startWatchdog(plan: WatchdogPlan): Watchdog {
  fs.mkdirSync(path.dirname(plan.logFile), { recursive: true });
  const log = fs.openSync(plan.logFile, 'a');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, JSON.stringify(plan)], {
      cwd: ROOT,
      detached: true, // its own process group: a Ctrl-C to ours does not reach it
      stdio: ['pipe', log, log],
    });
    child.on('error', () => undefined);
    child.unref();
    const pipe = child.stdin as unknown as Socket;
    pipe.on('error', () => undefined);
    pipe.unref(); // the pipe must not keep the owner alive
    let released = false;
    return {
      pid: child.pid ?? 0,
      release() {
        if (released) return;
        released = true;
        pipe.end('release\n');
      },
    };
  } finally {
    fs.closeSync(log);
  }
}

/**
 * Runs one k6 instance for a load run and turns its requests into history as it goes: spawned
 * detached in its own process group with a pid file a watchdog guards (k6 dies with the harness,
 * however the harness dies), its REST API on a free 127.0.0.1 port (for live VUs), usage reports
 * off, console lines followed by a K6HistoryTail, its end-of-test summary exported as JSON and its
 * web dashboard exported as HTML (no dashboard server). An abort stops k6 gracefully (SIGINT: it
 * still writes its summary), then by force.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { InfraError } from '../../core/errors.ts';
import type { ScenarioLog } from '../../core/history.ts';
import type { Op } from '../../core/op.ts';
import { exitOf, killProcess, logTail, signalGroup, spawnProcess, waitGroupGone } from '../../env/process.ts';
import { allocatePorts } from '../../env/ports.ts';
import { startWatchdog } from '../../env/watchdog.ts';
import { K6HistoryTail } from './k6-history.ts';

export interface K6RunOptions {
  binary: string;
  script: string;
  /** Where its files go (`k6-<instance>.*`). */
  dir: string;
  /** This instance's name (its VUs record as `k6-<instance>-<vu>`). */
  instance: string;
  /** `-e` variables for the script. */
  vars: Record<string, string>;
  /** An execution segment of a run split over several k6 instances (`0:1/2`, with the sequence `0,1/2,1`). */
  segment?: { segment: string; sequence: string };
  signal: AbortSignal;
  /** Every op appended (live figures). */
  onOp?: (op: Op) => void;
}

export interface K6Run {
  /** k6's exit code (0 ok, 99 thresholds crossed, 255 could not start …); null if a signal ended it. */
  exitCode: number | null;
  summaryFile: string;
  dashboardFile: string;
  logFile: string;
  requests: number;
  errors: number;
  malformed: number;
  /** k6's own lines (warnings, script errors), the last few. */
  otherLines: string[];
}

/** The files of instance `instance` in `dir`. */
export function k6Files(dir: string, instance: string) {
  const base = path.join(dir, `k6-${instance}`);
  return {
    console: `${base}.console.log`,
    log: `${base}.log`,
    summary: `${base}.summary.json`,
    dashboard: `${base}.dashboard.html`,
    pids: path.join(dir, 'k6-pids'),
  };
}

/** A live handle on a running k6: its REST API (VUs) and figures so far. */
export interface K6Handle {
  apiUrl: string;
  tail: K6HistoryTail;
  done: Promise<K6Run>;
}

/** Starts k6; `done` resolves when it ended and every line it wrote is in the history. */
export async function startK6(history: ScenarioLog, options: K6RunOptions): Promise<K6Handle> {
  const files = k6Files(options.dir, options.instance);
  fs.mkdirSync(files.pids, { recursive: true });
  fs.rmSync(files.console, { force: true });
  const [apiPort] = await allocatePorts(1);
  const args = [
    'run',
    '--quiet',
    '--no-color',
    '--log-format=raw',
    `--console-output=${files.console}`,
    `--summary-export=${files.summary}`,
    `--address=127.0.0.1:${apiPort}`,
    ...(options.segment
      ? [`--execution-segment=${options.segment.segment}`, `--execution-segment-sequence=${options.segment.sequence}`]
      : []),
    ...Object.entries(options.vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    options.script,
  ];
  const watchdog = startWatchdog({
    label: `k6 ${options.instance}`,
    stop: [files.pids],
    logFile: path.join(options.dir, `k6-${options.instance}.watchdog.log`),
  });
  const record = await spawnProcess({
    name: `k6-${options.instance}`,
    command: options.binary,
    args,
    cwd: path.dirname(options.script),
    env: {
      K6_NO_USAGE_REPORT: 'true',
      K6_WEB_DASHBOARD: 'true',
      // k6's Go heap collected less often (unless the user chose): at 1000 VUs on two cores the
      // default (100) stalled every VU together for a second every 7-8 s — reads and commands
      // p50 135-160 ms while the harness's own requests to the same API took 14-59 ms.
      ...(process.env.GOGC ? {} : { GOGC: '400' }),
      K6_WEB_DASHBOARD_PORT: '-1',
      K6_WEB_DASHBOARD_EXPORT: files.dashboard,
    },
    logFile: files.log,
    stopSignal: 'SIGINT',
    pidFile: path.join(files.pids, `k6-${options.instance}.json`),
  });
  const tail = new K6HistoryTail(files.console, history, options.onOp);
  tail.start();
  const exit = exitOf(record) as Promise<number | null>;
  const onAbort = () => {
    signalGroup(record, 'SIGINT');
    // Still running after a grace period: by force.
    setTimeout(() => void killProcess(record).catch(() => undefined), 15_000).unref();
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  const done = (async (): Promise<K6Run> => {
    try {
      const exitCode = await exit;
      await waitGroupGone(record, 5000);
      tail.stop();
      return {
        exitCode,
        summaryFile: files.summary,
        dashboardFile: files.dashboard,
        logFile: files.log,
        ...tail.stats,
        otherLines: [
          ...tail.otherLines,
          ...logTail(files.log, 5)
            .split('\n')
            .filter((l) => l !== ''),
        ],
      };
    } finally {
      options.signal.removeEventListener('abort', onAbort);
      tail.stop(); // idempotent: takes what is left
      fs.rmSync(record.spec.pidFile, { force: true });
      watchdog.release();
    }
  })();
  return { apiUrl: `http://127.0.0.1:${apiPort}`, tail, done };
}

/** The VUs k6 runs now, from its REST API (undefined when it does not answer). */
export async function k6Vus(apiUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${apiUrl}/v1/status`, { signal: AbortSignal.timeout(500) });
    const body = (await response.json()) as { data?: { attributes?: { vus?: number } } };
    return body.data?.attributes?.vus;
  } catch {
    return undefined;
  }
}

/** Checks that `binary` is a k6 that starts (`k6 version`); its version line, or an InfraError (255). */
export function checkK6(binary: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      binary,
      ['version'],
      { timeout: 15_000, env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } },
      (error, stdout) => {
        if (error || !/k6/i.test(stdout))
          reject(
            new InfraError(
              `k6 at ${binary} does not start: ${error ? error.message.split('\n')[0] : `unexpected output '${stdout.trim()}'`}`,
              'unset CPQCHAOS_K6_BINARY to use the k6 the harness builds, or point it at a working k6',
            ),
          );
        else resolve(stdout.trim().split('\n')[0] ?? '');
      },
    ),
  );
}

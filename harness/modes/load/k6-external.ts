/**
 * k6 that runs elsewhere — k6-operator's runner pods — merged into the run's history: the harness
 * writes what the pods need (`cpqchaos.env`: API instances, tenants, size) into a directory they
 * share with it (a volume), waits for the first pod to start writing, then follows every pod's
 * console file (`<dir>/<pod>/console.log`, history lines as k6/lib/history.ts prints them) into the
 * one history, until each expected pod has written its summary (`<dir>/<pod>/summary.json`) —
 * the same merge as local instances, over files another machine wrote.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ScenarioLog } from '../../core/history.ts';
import { sleep } from '../../workload/generators.ts';
import { K6HistoryTail } from './k6-history.ts';
import type { K6Run } from './k6-run.ts';

/** The file the pods read their `-e` variables from (KEY=VALUE lines, for `kubectl create configmap --from-env-file`). */
export const ENV_FILE = 'cpqchaos.env';
/** What each pod writes into its own directory (k6's `--console-output` and `--summary-export`). */
export const CONSOLE_FILE = 'console.log';
export const SUMMARY_FILE = 'summary.json';

/** Writes the pods' variables into `dir` (created if needed). */
export function writeK6Env(dir: string, vars: Record<string, string>): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, ENV_FILE);
  fs.writeFileSync(
    file,
    `${Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  return file;
}

/** The pod directories of `dir` holding a console file. */
function podDirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, CONSOLE_FILE)))
      .map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

/** Resolves once a pod started writing (true), or false when `timeoutMs` passed or `signal` aborted. */
export async function waitForPods(dir: string, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!signal.aborted && Date.now() < deadline) {
    if (podDirs(dir).length > 0) return true;
    await sleep(250, signal);
  }
  return false;
}

/**
 * Follows the pods' console files into `history` until `expected` pods have written their summary
 * (or `timeoutMs` passed, or `signal` aborted); one K6Run per pod seen (exit code unknown: null).
 */
export async function followK6Dir(
  history: ScenarioLog,
  dir: string,
  options: { expected: number; timeoutMs: number; signal: AbortSignal; onTail?: (tails: K6HistoryTail[]) => void },
): Promise<K6Run[]> {
  const tails = new Map<string, K6HistoryTail>();
  const deadline = Date.now() + options.timeoutMs;
  const finished = (pod: string) => fs.existsSync(path.join(pod, SUMMARY_FILE));
  for (;;) {
    for (const pod of podDirs(dir))
      if (!tails.has(pod)) {
        const tail = new K6HistoryTail(path.join(pod, CONSOLE_FILE), history);
        tail.start(200);
        tails.set(pod, tail);
      }
    options.onTail?.([...tails.values()]);
    const done = [...tails.keys()].filter(finished).length;
    if (done >= options.expected || options.signal.aborted || Date.now() >= deadline) break;
    await sleep(500, options.signal);
  }
  return [...tails].map(([pod, tail]) => {
    tail.stop();
    return {
      exitCode: null,
      summaryFile: path.join(pod, SUMMARY_FILE),
      dashboardFile: path.join(pod, 'dashboard.html'),
      logFile: path.join(pod, CONSOLE_FILE),
      ...tail.stats,
      otherLines: [...tail.otherLines],
    };
  });
}

/**
 * The run directory (contract section 7): `<root>/<run-id>/` plus `<root>/latest` pointing at it,
 * written in phases — `run.json` first, the history as it grows, the reports at the end — so a
 * crash never loses what was already recorded.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Parameters } from '../core/final-state.ts';

/** What `run.json` records about the options (enough for `replay`). */
export interface RunInfo {
  runId: string;
  command: 'run' | 'gate' | 'explore' | 'load' | 'gameday';
  scenarios: string[];
  seed: number;
  bugs: string[];
  timeLimitS?: number;
  concurrency?: number;
  startedAt: string;
  /** The system under test's name. */
  system?: string;
  /** The manifest or module it was described in (`--system`), absent for the built-in reference system. */
  systemFile?: string;
  /** `explore`'s own options (family, runs, steps, path, sequences at once, time limit), for `replay`. */
  explore?: { family: string; runs: number; steps?: number; path?: string; atOnce?: number; timeLimitS?: number };
  /** `load`'s plan (profile, size, faults, k6 instances), for `replay`. */
  load?: {
    profile: string;
    vus: number;
    durationS: number;
    rate: number;
    thinkMs: number;
    faults: string[];
    instances: number;
    k6Dir?: string;
  };
  /** `gameday`'s plan file and speed, for `replay`. */
  gameday?: { plan: string; speed: number };
  /** Each scenario's parameters, as declared when the run started (what `analyze` judges with). */
  parameters?: Record<string, Parameters>;
}

/** Creates `<root>/<run-id>` (unique) and points `<root>/latest` at it. */
export function createRunDir(root: string, startedAt: Date, seed: number): { runId: string; dir: string } {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  fs.mkdirSync(root, { recursive: true });
  let runId = `${stamp}-seed${seed}`;
  for (let n = 2; fs.existsSync(path.join(root, runId)); n++) runId = `${stamp}-seed${seed}-${n}`;
  const dir = path.join(root, runId);
  fs.mkdirSync(dir);
  const latest = path.join(root, 'latest');
  fs.rmSync(latest, { force: true, recursive: false });
  fs.symlinkSync(runId, latest);
  return { runId, dir };
}

/** Writes JSON atomically (tmp file, then rename). */
export function writeJson(file: string, value: unknown): void {
  writeText(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function writeText(file: string, text: string): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

/** Reads `run.json` of a run directory. */
export function readRunInfo(dir: string): RunInfo {
  return JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunInfo;
}

/**
 * What the benchmarks that compare whole gates share: running `cpqchaos …` with its progress line
 * shown in place, reading a run directory's verdicts, and listing the scenarios whose verdicts
 * differ between two runs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Runs `cpqchaos args…`, showing its progress line; resolves with wall seconds and exit code. */
export function cpqchaos(label: string, args: string[]): Promise<{ seconds: number; code: number | null }> {
  const from = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/cpqchaos.mjs', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => {
      const last = chunk.toString().trimEnd().split('\n').pop() ?? '';
      process.stderr.write(`\r${label}: ${last.slice(0, 100).padEnd(100)}`);
    });
    child.once('close', (code) => {
      process.stderr.write('\n');
      resolve({ seconds: (performance.now() - from) / 1000, code });
    });
  });
}

export interface Verdicts {
  run: unknown;
  scenarios: Map<string, string>;
}

/** The run's verdict and every scenario's (name → verdict), from the run directory `latest` under `out`. */
export function verdicts(out: string): Verdicts {
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'latest', 'summary.json'), 'utf8')) as {
    valid: unknown;
    scenarios: { name: string; valid: unknown }[];
  };
  return { run: summary.valid, scenarios: new Map(summary.scenarios.map((s) => [s.name, String(s.valid)])) };
}

/** The scenarios whose verdicts differ between two runs, as `name first→second`. */
export function differing(first: Verdicts, second: Verdicts): string[] {
  const names = [...new Set([...first.scenarios.keys(), ...second.scenarios.keys()])].sort();
  return names
    .filter((n) => first.scenarios.get(n) !== second.scenarios.get(n))
    .map((n) => `${n} ${first.scenarios.get(n) ?? '–'}→${second.scenarios.get(n) ?? '–'}`);
}

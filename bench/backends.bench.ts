/**
 * `npm run bench:backends`: the testcontainers backend against the native one, measured in the same
 * run, alternating, one environment at a time (two cores: only ratios of the same run mean anything).
 *
 * - Start: the environment plus the reference CPQ/OMS (2 API instances, relay, consumers,
 *   invalidation, failpoints and movable clocks on, as the gate starts it) until every component
 *   answers; then both stopped. Images and engine are made ready first and not counted.
 * - Gate (with `--gate-seeds`): `cpqchaos gate --seed S --backend B` as a user runs it, wall time and
 *   verdict per seed and backend.
 *
 * Prints a table per part with medians and the testcontainers/native ratio (targets: start ≤ 1.5×,
 * gate ≤ 1.3×; zero false alarms).
 *
 * Flags: --rounds N (default 3), --gate-seeds 1,2,… (default none).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Backend } from '../harness/env/endpoints.ts';
import { startEnvironment } from '../harness/env/environment.ts';
import { referenceSystem } from '../harness/system/reference-system.ts';
import { benchArgs, usageError } from './lib/bench-args.ts';

const values = benchArgs('bench:backends', {
  rounds: { type: 'string', default: '3' },
  'gate-seeds': { type: 'string', default: '' },
});
const rounds = Number(values.rounds);
const seeds = (values['gate-seeds'] as string).split(',').filter(Boolean).map(Number);
if (!Number.isInteger(rounds) || rounds < 0 || seeds.some((s) => !Number.isInteger(s))) {
  usageError('bench:backends', '--rounds takes a whole number ≥ 0, --gate-seeds whole numbers a,b,…');
}
const BACKENDS: Backend[] = ['native', 'testcontainers'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-backends-'));
fs.chmodSync(scratch, 0o755);

/** Seconds from nothing to every component answering (environment + system), then stops both. */
async function startOnce(backend: Backend, round: number): Promise<{ env: number; system: number }> {
  const from = performance.now();
  const env = await startEnvironment({ backend });
  const envS = (performance.now() - from) / 1000;
  const system = await referenceSystem.start({
    endpoints: env.endpoints,
    bugs: [],
    instances: 2,
    failpoints: true,
    clock: true,
    dir: path.join(scratch, `${backend}-${round}`),
    logLevel: 'warn',
  });
  const total = (performance.now() - from) / 1000;
  await system.stop();
  await env.stop();
  return { env: envS, system: total - envS };
}

/** `cpqchaos gate --seed S --backend B`: its wall time and exit code. */
function gate(backend: Backend, seed: number): Promise<{ seconds: number; code: number | null }> {
  const from = performance.now();
  const out = path.join(scratch, `gate-${backend}-${seed}`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['bin/cpqchaos.mjs', 'gate', '--seed', String(seed), '--backend', backend, '--out', out],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let last = '';
    child.stderr.on('data', (chunk: Buffer) => {
      last = chunk.toString().trimEnd().split('\n').pop() ?? last;
      process.stderr.write(`\r${backend} seed ${seed}: ${last.slice(0, 110).padEnd(110)}`);
    });
    child.once('close', (code) => {
      process.stderr.write('\n');
      resolve({ seconds: (performance.now() - from) / 1000, code });
    });
  });
}

if (rounds > 0) {
  // Warm-up, not counted: the engine started and every image built or found; the first native start.
  for (const backend of BACKENDS) await startOnce(backend, -1);
  const samples: Record<Backend, { env: number; system: number }[]> = { native: [], testcontainers: [] };
  for (let round = 0; round < rounds; round++)
    for (const backend of BACKENDS) {
      const sample = await startOnce(backend, round);
      samples[backend].push(sample);
      process.stdout.write(
        `start ${backend.padEnd(14)} round ${round + 1}: environment ${sample.env.toFixed(1)} s + system ${sample.system.toFixed(1)} s\n`,
      );
    }
  const total = (b: Backend) => median(samples[b].map((s) => s.env + s.system));
  process.stdout.write('\n| start (median) | environment (s) | system (s) | both (s) |\n| --- | --- | --- | --- |\n');
  for (const b of BACKENDS)
    process.stdout.write(
      `| ${b} | ${median(samples[b].map((s) => s.env)).toFixed(1)} | ${median(samples[b].map((s) => s.system)).toFixed(1)} | ${total(b).toFixed(1)} |\n`,
    );
  process.stdout.write(
    `\ntestcontainers/native start ratio: ${(total('testcontainers') / total('native')).toFixed(2)}×\n`,
  );
}

if (seeds.length > 0) {
  const results: Record<Backend, { seconds: number; code: number | null }[]> = { native: [], testcontainers: [] };
  for (const seed of seeds) for (const backend of BACKENDS) results[backend].push(await gate(backend, seed));
  process.stdout.write(`\n| gate | ${seeds.map((s) => `seed ${s}`).join(' | ')} | median (s) |\n`);
  process.stdout.write(`| --- | ${seeds.map(() => '---').join(' | ')} | --- |\n`);
  for (const b of BACKENDS)
    process.stdout.write(
      `| ${b} | ${results[b].map((r) => `${r.seconds.toFixed(0)} s exit ${r.code}`).join(' | ')} | ${median(results[b].map((r) => r.seconds)).toFixed(0)} |\n`,
    );
  const ratio = median(results.testcontainers.map((r) => r.seconds)) / median(results.native.map((r) => r.seconds));
  const falseAlarms = BACKENDS.flatMap((b) => results[b].filter((r) => r.code !== 0).map(() => b)).length;
  process.stdout.write(
    `\ntestcontainers/native gate ratio: ${ratio.toFixed(2)}×; runs not exiting 0: ${falseAlarms}\n`,
  );
}
fs.rmSync(scratch, { recursive: true, force: true });

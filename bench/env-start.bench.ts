/**
 * `npm run bench:env`: cold-start, warm-start and teardown times of the whole environment and of
 * each service, printed as a table.
 *
 * Cold = nothing of ours cached: a fresh cpqchaos cache, Go module/build caches and Maven repository
 * in a temp dir, so Kafka's jars are downloaded and toxiproxy-server is compiled from scratch (k6 is
 * not part of an environment start). Debian's packages are a machine install and stay as they are.
 * Warm = the normal cached start, repeated; median and range are printed.
 *
 * Flags: --warm-runs N (default 5), --skip-cold.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEnvironment, type StartTimings } from '../harness/env/environment.ts';
import { benchArgs, usageError } from './lib/bench-args.ts';

const values = benchArgs('bench:env', {
  'warm-runs': { type: 'string', default: '5' },
  'skip-cold': { type: 'boolean', default: false },
});
const warmRuns = Number(values['warm-runs']);
if (!Number.isInteger(warmRuns) || warmRuns < 1) {
  usageError('bench:env', '--warm-runs takes a whole number ≥ 1');
}

interface Sample extends StartTimings {
  teardown: number;
}

async function sample(): Promise<Sample> {
  const env = await startEnvironment();
  const from = performance.now();
  await env.stop();
  return { ...env.timings, teardown: Math.round(performance.now() - from) };
}

async function coldSample(): Promise<Sample> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-cold-'));
  const saved = { ...process.env };
  Object.assign(process.env, {
    CPQCHAOS_CACHE: path.join(scratch, 'cache'),
    GOMODCACHE: path.join(scratch, 'gomod'),
    GOCACHE: path.join(scratch, 'gobuild'),
    MAVEN_OPTS: `${process.env.MAVEN_OPTS ?? ''} -Dmaven.repo.local=${path.join(scratch, 'm2')}`.trim(),
  });
  try {
    return await sample();
  } finally {
    process.env = saved;
    // Go marks its module cache read-only; make it writable so it can be removed.
    fs.chmodSync(scratch, 0o755);
    for (const dir of [path.join(scratch, 'gomod')]) {
      if (fs.existsSync(dir))
        await import('node:child_process').then((cp) => cp.execFileSync('chmod', ['-R', 'u+w', dir]));
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const COLUMNS: (keyof Sample)[] = [
  'total',
  'provision',
  'postgres',
  'redis',
  'kafka',
  'toxiproxy',
  'proxies',
  'teardown',
];

const rows: string[][] = [];
if (!values['skip-cold']) {
  process.stderr.write('bench:env: cold start (empty caches: downloads Kafka jars, compiles toxiproxy)…\n');
  const cold = await coldSample();
  rows.push(['cold', ...COLUMNS.map((c) => seconds(cold[c]))]);
}
await sample(); // prime the OS page cache so warm runs measure our start, not the disk
const warm: Sample[] = [];
for (let i = 0; i < warmRuns; i++) {
  process.stderr.write(`bench:env: warm start ${i + 1}/${warmRuns}\n`);
  warm.push(await sample());
}
rows.push([`warm median (n=${warmRuns})`, ...COLUMNS.map((c) => seconds(median(warm.map((s) => s[c]))))]);
rows.push([
  'warm min–max',
  ...COLUMNS.map(
    (c) => `${seconds(Math.min(...warm.map((s) => s[c])))}–${(Math.max(...warm.map((s) => s[c])) / 1000).toFixed(2)}`,
  ),
]);

const header = ['', ...COLUMNS];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ');
console.log(
  `environment start on ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB (services start in parallel; total ≈ provision + slowest service + proxies)`,
);
console.log(line(header));
for (const row of rows) console.log(line(row));
const warmTotal = median(warm.map((s) => s.total));
const warmTeardown = median(warm.map((s) => s.teardown));
console.log(
  `targets: warm start < 20 s: ${warmTotal < 20_000 ? 'met' : 'MISSED'} (${seconds(warmTotal)}); teardown < 5 s: ${warmTeardown < 5000 ? 'met' : 'MISSED'} (${seconds(warmTeardown)})`,
);

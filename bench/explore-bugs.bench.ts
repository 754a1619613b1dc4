/**
 * `npm run bench:explore`: for each planted bug, `cpqchaos explore --bugs X` in its family with a
 * time limit, from a fresh directory (no failure database): whether a counterexample was found,
 * how long until the first failing run and in all (shrinking included), the shrunk length and the
 * checker it breaks. Then `--clean N` explorations of the correct system on seeds 1..N. Targets
 * (issues 12 and 26): each bug found within 5 minutes, shrunk to at most 8 steps; no failure on the correct system.
 *
 * Flags: --bugs a,b (default all 17; `none` for none), --seed S (default 1), --time-limit S (default 300),
 * --clean N (default 0), --clean-seeds a,b (instead of 1..N), --clean-runs R (default 20), --at-once K
 * (default: explore's own; 1 runs the sequences one after another, as before issue 30), --runs N
 * (sequences per bug, default explore's own 40; a large N lets the time limit decide).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchArgs, usageError, wholeNumber } from './lib/bench-args.ts';

const FAMILY: Record<string, string> = {
  'submit-trusts-cache': 'cache',
  'no-version-check': 'cache',
  'policy-from-cache': 'cache',
  'tenantless-cache-keys': 'cache',
  'delete-invalidation': 'cache',
  'no-single-flight': 'cache',
  'redis-required': 'cache',
  'convert-not-idempotent': 'messaging',
  'idempotency-redis-only': 'messaging',
  'relay-marks-before-publish': 'messaging',
  'consumer-no-dedupe': 'messaging',
  // Issue 26: found by the whole exploration (--family all), as a user runs it.
  'relay-drops-failed-batch': 'all',
  'redis-no-timeout': 'all',
  'inbox-separate-transaction': 'all',
  'leak-broken-connections': 'all',
  'consumer-skips-failed-events': 'all',
  'wall-clock-ttl': 'all',
};
const values = benchArgs('bench:explore', {
  bugs: { type: 'string', default: Object.keys(FAMILY).join(',') },
  seed: { type: 'string', default: '1' },
  'time-limit': { type: 'string', default: '300' },
  clean: { type: 'string', default: '0' },
  'clean-seeds': { type: 'string' },
  'clean-runs': { type: 'string', default: '20' },
  'at-once': { type: 'string' },
  runs: { type: 'string' },
});
const bugs = (values.bugs as string).split(',').filter((b) => b !== 'none');
const unknown = bugs.filter((b) => !(b in FAMILY));
if (unknown.length > 0)
  usageError(
    'bench:explore',
    `--bugs: no planted bug ${unknown.join(', ')} (known: ${Object.keys(FAMILY).join(', ')})`,
  );
for (const [flag, min] of [
  ['seed', 0],
  ['time-limit', 1],
  ['clean', 0],
  ['clean-runs', 1],
  ['at-once', 1],
  ['runs', 1],
] as const)
  if (values[flag] !== undefined) wholeNumber('bench:explore', `--${flag}`, values[flag], min);
for (const seed of values['clean-seeds']?.split(',') ?? []) wholeNumber('bench:explore', '--clean-seeds', seed, 0);
const bin = path.resolve('bin/cpqchaos.mjs');
const atOnce = values['at-once'] !== undefined ? ['--at-once', values['at-once']] : [];

/**
 * Runs one exploration in a fresh directory; resolves with its exit code, stdout and wall time.
 * `keepFailed`: a failing or undecided run's directory is kept (a correct system's failure is a finding).
 */
function explore(
  args: string[],
  keepFailed = false,
): Promise<{ code: number | null; out: string; seconds: number; firstFailS?: number }> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-bench-explore-'));
  fs.chmodSync(cwd, 0o755);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'explore', ...atOnce, ...args], {
      cwd,
      env: { ...process.env, CI: 'true' },
    });
    let out = '';
    let firstFailS: number | undefined;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      if (firstFailS === undefined && /run-\d+\/\d+: .* fails/.test(d.toString()))
        firstFailS = (performance.now() - started) / 1000;
    });
    child.on('exit', (code) => {
      if (code === 0 || !keepFailed) fs.rmSync(cwd, { recursive: true, force: true });
      else process.stderr.write(`bench:explore: kept ${cwd} (exit ${code ?? 'killed'})\n`);
      resolve({
        code,
        out,
        seconds: (performance.now() - started) / 1000,
        ...(firstFailS !== undefined ? { firstFailS } : {}),
      });
    });
  });
}

const row = (...cells: (string | number)[]) => process.stdout.write(`| ${cells.join(' | ')} |\n`);
const found: string[] = [];
row('bug', 'family', 'exit', 'first failing run (s)', 'total (s)', 'steps', 'breaks');
row('---', '---', '---', '---', '---', '---', '---');
for (const bug of bugs) {
  const family = FAMILY[bug] ?? 'all';
  const args = [
    '--bugs',
    bug,
    '--family',
    family,
    '--seed',
    values.seed as string,
    '--time-limit',
    values['time-limit'] as string,
    ...(values.runs !== undefined ? ['--runs', values.runs] : []),
  ];
  const r = await explore(args);
  const match = /counterexample(?: \([^)]*\))?: (\d+) steps, breaks (\S+)/.exec(r.out);
  // Broken among sequences run at once, but not alone: found, yet neither shrunk nor replayable alone.
  const mixed = match ? null : /(\S+) broke (\S+) — .* run at once, but /.exec(r.out);
  if (match) found.push(`${bug}:\n${r.out.slice(match.index)}`);
  else if (mixed) found.push(`${bug} (among others only):\n${r.out.slice(mixed.index)}`);
  row(
    bug,
    family,
    r.code ?? 'killed',
    r.firstFailS?.toFixed(0) ?? '–',
    r.seconds.toFixed(0),
    match?.[1] ?? (mixed ? 'not alone' : '–'),
    match?.[2] ?? (mixed ? `${mixed[2]} (among others only)` : 'not found'),
  );
}
const cleanSeeds =
  values['clean-seeds']?.split(',').map(Number) ?? [...Array(Number(values.clean)).keys()].map((i) => i + 1);
for (const seed of cleanSeeds) {
  const r = await explore(['--seed', String(seed), '--runs', values['clean-runs'] as string], true);
  const pace = /explore: (\d+) runs, \d+ shrinks, (\d+) steps in (\d+) s — ([\d.]+) runs\/min, (\d+) steps\/min/.exec(
    r.out,
  );
  // A failure of the correct system is a finding: keep its counterexample (and a could-not-decide its reason).
  const match = /counterexample(?: \([^)]*\))?: \d+ steps, breaks/.exec(r.out);
  if (match) found.push(`correct system, seed ${seed}:\n${r.out.slice(match.index)}`);
  else if (r.code === 2)
    found.push(`correct system, seed ${seed} (could not decide):\n${r.out.split('\n').slice(-12).join('\n')}\n`);
  row(
    `correct system, seed ${seed}`,
    'all',
    r.code ?? 'killed',
    '–',
    r.seconds.toFixed(0),
    pace?.[2] ?? '–',
    pace ? `${pace[4]} runs/min, ${pace[5]} steps/min` : '',
  );
}
for (const text of found) process.stdout.write(`\n${text}`);

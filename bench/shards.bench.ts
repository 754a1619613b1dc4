/**
 * `npm run bench:shards -- --seeds 1,2 [--shards 4] [--bugs a,b]`: the gate split into n shards run
 * one after another (each its own environment, as n CI jobs would), then merged — against the
 * unsharded gate on the same seed. Prints each shard's wall time and exit (environment start
 * included), the unsharded gate's, whether the merged run's verdict equals the unsharded gate's, and
 * which scenarios' verdicts differ (run directories kept then). The target: each of four shards ≤ 90 s, verdicts equal on every seed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpqchaos, differing, verdicts } from './lib/gate-runs.ts';
import { benchArgs, usageError } from './lib/bench-args.ts';

const values = benchArgs('bench:shards', {
  seeds: { type: 'string', default: '1' },
  shards: { type: 'string', default: '4' },
  bugs: { type: 'string', default: '' },
});
const seeds = (values.seeds as string).split(',').filter(Boolean).map(Number);
const shards = Number(values.shards);
if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s)) || !Number.isInteger(shards) || shards < 1) {
  usageError('bench:shards', '--seeds takes whole numbers a,b,…, --shards a whole number ≥ 1');
}
const bugs = values.bugs ? ['--bugs', values.bugs as string] : [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-shards-'));

let keep = false;

const rows: string[] = [];
for (const seed of seeds) {
  const common = ['--seed', String(seed), '--backend', 'native', ...bugs];
  const whole = path.join(scratch, `whole-${seed}`);
  const gate = await cpqchaos(`gate seed ${seed}`, ['gate', ...common, '--out', whole]);
  const times: number[] = [];
  const codes: (number | null)[] = [];
  const dirs: string[] = [];
  for (let i = 1; i <= shards; i++) {
    const out = path.join(scratch, `shard-${seed}-${i}`);
    const shard = await cpqchaos(`shard ${i}/${shards} seed ${seed}`, [
      'gate',
      '--shard',
      `${i}/${shards}`,
      ...common,
      '--out',
      out,
    ]);
    times.push(shard.seconds);
    codes.push(shard.code);
    dirs.push(path.join(out, 'latest'));
  }
  const merged = path.join(scratch, `merged-${seed}`);
  const merge = await cpqchaos(`merge seed ${seed}`, ['merge', ...dirs, '--out', merged]);
  const [a, b] = [verdicts(whole), verdicts(merged)];
  const differ = differing(a, b);
  keep ||= differ.length > 0;
  rows.push(
    `| ${seed} | ${gate.seconds.toFixed(0)} (exit ${gate.code}) | ${times.map((t, i) => `${t.toFixed(0)} (exit ${codes[i]})`).join(' / ')} | ${Math.max(...times).toFixed(0)} | ${merge.code} | ${a.run === b.run ? 'yes' : 'NO'} | ${differ.join(', ') || 'none'} |`,
  );
}
process.stdout.write(
  `\n| seed | gate (s) | shards 1…${shards} (s, environment start included) | slowest shard (s) | merge exit | same run verdict | scenarios whose verdicts differ (gate→merged) |\n| --- | --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`,
);
// Kept when a scenario's verdict differs, to read why.
if (keep) process.stdout.write(`run directories kept in ${scratch}\n`);
else fs.rmSync(scratch, { recursive: true, force: true });

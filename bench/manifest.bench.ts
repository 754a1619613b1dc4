/**
 * `npm run bench:manifest -- --seeds 1,2,3 [--bugs a,b]`: the gate against the built-in reference
 * system and against the same system described by `examples/reference-system.yaml`, one after the
 * other on each seed (native, each its own environment). Prints both wall times, their ratio, both
 * exits and the scenarios whose verdicts differ; then `check-system` on the example, timed. Targets
 * (issue 29): the manifest's gate within 10% of the built-in's wall time with identical verdicts on
 * three seeds; check-system under 60 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpqchaos, differing, verdicts } from './lib/gate-runs.ts';
import { benchArgs, usageError } from './lib/bench-args.ts';

const values = benchArgs('bench:manifest', {
  seeds: { type: 'string', default: '1' },
  bugs: { type: 'string', default: '' },
});
const seeds = (values.seeds as string).split(',').filter(Boolean).map(Number);
if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s))) {
  usageError('bench:manifest', '--seeds takes whole numbers a,b,…');
}
const bugs = values.bugs ? ['--bugs', values.bugs as string] : [];
const manifest = path.resolve('examples/reference-system.yaml');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-manifest-'));
let keep = false;
const rows: string[] = [];
for (const seed of seeds) {
  const common = ['gate', '--seed', String(seed), '--backend', 'native', ...bugs];
  const builtIn = path.join(scratch, `built-in-${seed}`);
  const described = path.join(scratch, `manifest-${seed}`);
  const a = await cpqchaos(`built-in seed ${seed}`, [...common, '--out', builtIn]);
  const b = await cpqchaos(`manifest seed ${seed}`, [...common, '--system', manifest, '--out', described]);
  const differ = differing(verdicts(builtIn), verdicts(described));
  keep ||= differ.length > 0;
  rows.push(
    `| ${seed} | ${a.seconds.toFixed(0)} (exit ${a.code}) | ${b.seconds.toFixed(0)} (exit ${b.code}) | ${(b.seconds / a.seconds).toFixed(3)} | ${differ.join(', ') || 'none'} |`,
  );
}
const check = await cpqchaos('check-system', [
  'check-system',
  manifest,
  '--backend',
  'native',
  '--out',
  path.join(scratch, 'check.json'),
]);
process.stdout.write(
  `\n| seed | built-in gate (s) | manifest gate (s) | ratio | scenarios whose verdicts differ (built-in→manifest) |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}\n\ncheck-system ${path.relative(process.cwd(), manifest)}: ${check.seconds.toFixed(1)} s, exit ${check.code} (environment start included)\n`,
);
if (keep) process.stdout.write(`run directories kept in ${scratch}\n`);
else fs.rmSync(scratch, { recursive: true, force: true });
